// `samlkit/debugger`. The report's types are generated from the Rust types
// (debugger/samlkit_debugger.d.ts); only the wrapper's signatures are written here.
import type { SigninReport, SigninSettings } from './debugger/samlkit_debugger.js';
export type * from './debugger/samlkit_debugger.js';

export interface CheckResponseOptions {
  /** The AuthnRequest ID the response must answer (`InResponseTo`); none for a pasted or IdP-initiated one. */
  requestId?: string;
  /** The time to check validity at, in milliseconds (as `Date.now()`); the clock when absent. */
  now?: number;
}

/** Loads the debugger's WebAssembly; call once before `checkResponse`. */
export default function init(options?: unknown): Promise<unknown>;

/** The test sign-in's checks on a SAMLResponse (base64, a form value or XML), computed in this page. */
export function checkResponse(response: string, settings: Partial<SigninSettings>, options?: CheckResponseOptions): SigninReport;
