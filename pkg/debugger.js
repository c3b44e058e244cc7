// `samlkit/debugger`: a SAMLResponse checked as a sign-in would check it, in this
// page. Its own WebAssembly, apart from the SDK's and the panel's.
import init, { checkResponseJson } from './debugger/samlkit_debugger.js';

export default init;

/**
 * The test sign-in's checks on a pasted response (base64, a `SAMLResponse=` form
 * value, or XML), against a connection's settings. Nothing is sent anywhere.
 */
export function checkResponse(response, settings, options = {}) {
  if (typeof response !== 'string') throw new TypeError('checkResponse: the response must be a string (base64 or XML)');
  const json = checkResponseJson(response, JSON.stringify(settings ?? {}), options.requestId ?? undefined, options.now ?? undefined);
  return JSON.parse(json);
}
