// samlkit behind the anchors' bench interface (../shared/anchors/js/README.md,
// "Adding the WASM build"). scripts/bench-anchors.sh copies it into a scratch
// copy of the anchors; paths are relative to that copy's entries/ folder.
import initWasm, { validate } from '../../../pkg/samlkit.js';
import wasmPath from '../../../pkg/samlkit_bg.wasm';

export const lib = 'samlkit (Rust→WASM, full validation)';
let ready;
export function init() {
  return (ready ||= (async () => {
    const url = new URL(wasmPath, import.meta.url);
    if (url.protocol === 'file:') {
      const { readFile } = await import('node:fs/promises');
      await initWasm({ module_or_path: await readFile(url) });
    } else {
      await initWasm({ module_or_path: url });
    }
  })());
}

const facts = (c) => ({ cn: c.subject_cn, notAfter: new Date(c.not_after).toISOString(), sha256: c.sha256_fingerprint, keyBits: c.public_key_size });

// Every op is samlkit's whole check (facts + verdicts), so each does more than its name asks.
export function parseCert(pem) {
  return facts(validate.certificate(pem).certificates[0]);
}
export function parseCertFields(pem) {
  const { cn, notAfter, keyBits } = parseCert(pem);
  return { cn, notAfter, keyBits };
}
function shape(xml, withFacts) {
  const md = validate.metadata(xml).import.metadata;
  const entity = md.entities[0];
  const idp = entity.idp_sso_descriptors[0];
  return {
    entityID: entity.entity_id,
    sso: idp.single_sign_on_services.map(({ binding, location }) => ({ binding, location })),
    certs: idp.key_descriptors.flatMap((k) =>
      k.certificates.map((c) => (withFacts ? { use: k.use, b64: c.base64, ...facts(c.facts) } : { use: k.use, b64: c.base64 }))),
  };
}
export const parseMetadata = (xml) => shape(xml, false);
export const validateMetadata = (xml) => shape(xml, true);
