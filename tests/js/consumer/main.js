// A page a Vite user would write: the package resolves, the wasm is emitted as an asset.
import init, { validate } from 'samlkit';

await init();
const report = validate.connection({ idp_sso_url: 'http://idp.example.com/sso' });
document.getElementById('out').textContent = report.issues.map((i) => i.code).join(',');

// The panel has its own entry point; importing it must not be needed for the SDK.
const panel = await import('samlkit/panel');
await panel.default();
document.getElementById('out').dataset.panel = typeof panel.mountSamlPanel;
