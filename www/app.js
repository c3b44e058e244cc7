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

const label = (c) => `${c.display_name || c.connection_id} (${c.status})`;
async function show(connectionId) {
  const sdk = await ready;
  mounted?.unmount();
  // A save renames or activates the connection: its entry in the list follows.
  const onSaved = (c) => {
    const option = [...$('connection').options].find((o) => o.value === c.connection_id);
    if (option) option.textContent = label(c);
  };
  mounted = sdk.mountSamlPanel($('panel'), { baseUrl: location.origin, sessionToken: $('token').value, connectionId, onSaved });
}
async function refresh(select) {
  const { saml_connections } = await client.sso.getConnections();
  $('connection').replaceChildren(...saml_connections.map((c) => new Option(label(c), c.connection_id)));
  if (select) $('connection').value = select;
  $('chooser').hidden = false;
  $('connection').hidden = saml_connections.length === 0;
  $('message').textContent = saml_connections.length === 0
    ? 'This organization has no SAML connection yet: choose New connection to set one up.'
    : '';
  if ($('connection').value) await show($('connection').value);
}
$('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const sdk = await ready;
  client = sdk.createClient({ baseUrl: location.origin, sessionToken: $('token').value });
  // Nothing is created until the sign-in has shown its list (or it would replace the new
  // one): the button starts disabled in the page and is enabled below.
  $('create').disabled = true;
  try {
    const { permissions } = await client.session();
    await refresh();
    // A member who may not create connections is not offered the button.
    const canCreate = permissions.sso.includes('create');
    $('create').disabled = !canCreate;
    $('create').title = canCreate ? '' : 'Your role may view connections but not create them.';
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
