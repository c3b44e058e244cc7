// A React app's SSO settings page: the SDK lists (or creates) the organization's
// connection, and <SamlPanel> edits it. The session token comes from #token=.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import initSdk, { createClient } from 'samlkit';
import { SamlPanel } from './SamlPanel.jsx';
import './page.css';

const baseUrl = location.origin;
const sessionToken = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

function App() {
  const [connections, setConnections] = useState([]);
  const [selected, setSelected] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    (async () => {
      await initSdk();
      const client = createClient({ baseUrl, sessionToken });
      let { saml_connections } = await client.sso.getConnections();
      if (saml_connections.length === 0) {
        const { connection } = await client.sso.saml.createConnection({ display_name: 'Company SSO', identity_provider: 'generic' });
        saml_connections = [connection];
      }
      setConnections(saml_connections);
      setSelected(saml_connections[0].connection_id);
    })().catch((e) => setError(e.message));
  }, []);

  return (
    <main>
      <h1>Company settings · Single sign-on</h1>
      {error && <p role="alert">{error}</p>}
      {connections.length > 1 && (
        <label>
          Connection{' '}
          <select value={selected} onChange={(e) => setSelected(e.target.value)}>
            {connections.map((c) => <option key={c.connection_id} value={c.connection_id}>{c.display_name || c.connection_id}</option>)}
          </select>
        </label>
      )}
      {selected && <SamlPanel baseUrl={baseUrl} sessionToken={sessionToken} connectionId={selected} />}
    </main>
  );
}

createRoot(document.getElementById('root')).render(<StrictMode><App /></StrictMode>);
