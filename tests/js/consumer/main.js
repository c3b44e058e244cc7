// A page a Vite user would write: the package resolves, the wasm is emitted as an asset.
import init, { validate } from 'samlkit';

await init();
const report = validate.connection({ idp_sso_url: 'http://idp.example.com/sso' });
document.getElementById('out').textContent = report.issues.map((i) => i.code).join(',');
