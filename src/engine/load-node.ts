import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compile, type Engine, instantiate } from "./engine.js";
import { CimlearnError } from "./errors.js";

export interface LoadOptions {
  /** Load the debug build (assertions on, function names kept). */
  debug?: boolean;
  /** The .wasm to load (a file: URL or path) instead of the one beside the bundle. */
  wasmUrl?: string | URL;
  /** An already compiled module (e.g. shared with another runtime's loader); `debug` must say which build it is. */
  wasmModule?: WebAssembly.Module;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Where the module is: beside the bundle (dist/node/) when installed, or in
 * build/ when running from the source tree (tests).
 */
function candidates(file: string): URL[] {
  return [new URL(`./${file}`, import.meta.url), new URL(`../../build/${file}`, import.meta.url)];
}

async function readModule(file: string, explicit?: URL): Promise<WebAssembly.Module> {
  const tried: string[] = [];
  for (const url of explicit ? [explicit] : candidates(file)) {
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
  throw new CimlearnError(
    explicit ? `wasmUrl: cannot read ${tried[0]}` : `cannot find ${file}; looked in ${tried.join(", ")}. Run \`npm run build\` first`,
  );
}

/** A new engine (its own memory) in Node. The compiled module is shared between engines. */
export async function loadEngine(options: LoadOptions = {}): Promise<Engine> {
  const debug = options.debug ?? false;
  if (options.wasmModule) return instantiate(options.wasmModule, debug);
  const explicit =
    options.wasmUrl === undefined
      ? undefined
      : options.wasmUrl instanceof URL || /^file:/.test(String(options.wasmUrl))
        ? new URL(String(options.wasmUrl))
        : pathToFileURL(String(options.wasmUrl));
  const file = debug ? "cimlearn.debug.wasm" : "cimlearn.wasm";
  const key = explicit?.href ?? file;
  let module = compiled.get(key);
  if (!module) {
    module = readModule(file, explicit);
    compiled.set(key, module);
    module.catch(() => compiled.delete(key));
  }
  return instantiate(await module, debug);
}
