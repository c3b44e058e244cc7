// Node's entry: `await init()` reads the WebAssembly from the package's own file
// (Node's fetch cannot read file: URLs). Everything else is the browser entry.
import { readFile } from 'node:fs/promises';
import init from './samlkit.js';

export * from './samlkit.js';

export default async function initNode(options) {
  if (options === undefined || options === null) {
    options = { module_or_path: await readFile(new URL('./samlkit_bg.wasm', import.meta.url)) };
  }
  return init(options);
}
