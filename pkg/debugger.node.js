// Node's entry of `samlkit/debugger`: `await init()` reads the WebAssembly from the
// package's own file (Node's fetch cannot read file: URLs).
import { readFile } from 'node:fs/promises';
import init from './debugger.js';

export * from './debugger.js';

export default async function initNode(options) {
  if (options === undefined || options === null) {
    options = { module_or_path: await readFile(new URL('./debugger/samlkit_debugger_bg.wasm', import.meta.url)) };
  }
  return init(options);
}
