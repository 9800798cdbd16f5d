import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile, type Engine, instantiate } from "./engine.js";
import { CimlearnError } from "./errors.js";

export interface LoadOptions {
  /** Load the debug build (assertions on, function names kept). */
  debug?: boolean;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Where the module is: beside the bundle (dist/node/) when installed, or in
 * build/ when running from the source tree (tests).
 */
function candidates(file: string): URL[] {
  return [new URL(`./${file}`, import.meta.url), new URL(`../../build/${file}`, import.meta.url)];
}

async function readModule(file: string): Promise<WebAssembly.Module> {
  const tried: string[] = [];
  for (const url of candidates(file)) {
    const path = fileURLToPath(url);
    tried.push(path);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      continue;
    }
    return compile(bytes, path);
  }
  throw new CimlearnError(`cannot find ${file}; looked in ${tried.join(", ")}. Run \`npm run build\` first`);
}

/** A new engine (its own memory) in Node. The compiled module is shared between engines. */
export async function loadEngine(options: LoadOptions = {}): Promise<Engine> {
  const debug = options.debug ?? false;
  const file = debug ? "cimlearn.debug.wasm" : "cimlearn.wasm";
  let module = compiled.get(file);
  if (!module) {
    module = readModule(file);
    compiled.set(file, module);
    module.catch(() => compiled.delete(file));
  }
  return instantiate(await module, debug);
}
