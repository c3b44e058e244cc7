// The panel's page: sign in with a member token, choose or create a connection,
// and mount the panel. No inline script: the page's CSP allows scripts from self only.
// Trunk loads the wasm and exposes its exports as window.wasmBindings.
const ready = new Promise((resolve) => {
  if (window.wasmBindings) resolve(window.wasmBindings);
  else addEventListener('TrunkApplicationStarted', () => resolve(window.wasmBindings), { once: true });
});
const $ = (id) => document.getElementById(id);
let client, mounted;
const tokenFromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (tokenFromHash) $('token').value = tokenFromHash;

async function show(connectionId) {
  const sdk = await ready;
  mounted?.unmount();
  mounted = sdk.mountSamlPanel($('panel'), { baseUrl: location.origin, sessionToken: $('token').value, connectionId });
}
async function refresh(select) {
  const { saml_connections } = await client.sso.getConnections();
  $('connection').replaceChildren(...saml_connections.map((c) => new Option(`${c.display_name || c.connection_id} (${c.status})`, c.connection_id)));
  if (select) $('connection').value = select;
  $('chooser').hidden = false;
  if ($('connection').value) await show($('connection').value);
}
$('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const sdk = await ready;
  client = sdk.createClient({ baseUrl: location.origin, sessionToken: $('token').value });
  try {
    // A member who may not create connections is not offered the button.
    const { permissions } = await client.session();
    const canCreate = permissions.sso.includes('create');
    $('create').disabled = !canCreate;
    $('create').title = canCreate ? '' : 'Your role may view connections but not create them.';
    await refresh();
    $('message').textContent = '';
  } catch (err) {
    $('message').textContent = err.message;
  }
});
$('connection').addEventListener('change', () => show($('connection').value));
$('create').addEventListener('click', async () => {
  try {
    const { connection } = await client.sso.saml.createConnection({ display_name: 'New connection', identity_provider: 'generic' });
    await refresh(connection.connection_id);
  } catch (err) {
    $('message').textContent = err.message;
  }
});
if (tokenFromHash) $('signin').requestSubmit();
