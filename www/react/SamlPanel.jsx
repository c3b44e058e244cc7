// The samlkit admin panel as a React component: mount on effect, unmount on clean-up.
import { useEffect, useRef } from 'react';
import initPanel, { mountSamlPanel } from 'samlkit/panel';

const panelReady = initPanel();

export function SamlPanel({ baseUrl, sessionToken, connectionId }) {
  const host = useRef(null);
  useEffect(() => {
    let handle;
    let cancelled = false;
    panelReady.then(() => {
      if (!cancelled) handle = mountSamlPanel(host.current, { baseUrl, sessionToken, connectionId });
    });
    return () => {
      cancelled = true;
      handle?.unmount();
      handle?.free();
    };
  }, [baseUrl, sessionToken, connectionId]);
  return <div ref={host} />;
}
