// Serves the built playground (dist/web) on 127.0.0.1 and prints its address.
//   node scripts/serve-web.mjs [--port N]     (or PORT=N; default 8080; --port 0: any free port)
// When the port is taken, a free one is used instead. Only files inside dist/web are served: a
// path that climbs out of it is refused (403), and so is a symbolic link inside it that leads out
// (404, as if absent): what is read is the file's real path, which must lie inside dist/web's.
import { readFile, realpath, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../dist/web", import.meta.url)));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** The served folder's real path (set once it is known to hold index.html). */
let realRoot = ROOT;

/** Whether a real path lies inside the served folder. */
const inside = (real) => real === realRoot || real.startsWith(realRoot + sep);

function parsePort(argv, env) {
  const i = argv.indexOf("--port");
  const eq = argv.find((a) => a.startsWith("--port="));
  const text = eq ? eq.slice(7) : i >= 0 ? argv[i + 1] : env.PORT;
  if (text === undefined || text === "") return 8080;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535, got "${text}"`);
    process.exit(2);
  }
  return port;
}

async function handle(req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  } catch {
    res.writeHead(400).end("bad request");
    return;
  }
  if (path.includes("\0")) {
    res.writeHead(400).end("bad request");
    return;
  }
  let file = resolve(join(ROOT, path));
  if (file !== ROOT && !file.startsWith(ROOT + sep)) {
    res.writeHead(403).end("forbidden");
    return;
  }
  try {
    let real = await realpath(file);
    if ((await stat(real)).isDirectory()) {
      file = join(file, "index.html");
      real = await realpath(join(real, "index.html"));
    }
    if (!inside(real)) throw new Error("outside the served folder");
    const body = await readFile(real);
    res.writeHead(200, {
      "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      // Cross-origin isolation: the page may then share memory with workers (the engine's kernel threads).
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
  }
}

function listen(server, port) {
  return new Promise((done, fail) => {
    const onError = (error) => {
      server.off("listening", onListening);
      fail(error);
    };
    const onListening = () => {
      server.off("error", onError);
      done(server.address().port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, "127.0.0.1");
  });
}

try {
  await stat(join(ROOT, "index.html"));
} catch {
  console.error(`${ROOT}/index.html is missing: run \`npm run build:web\` first`);
  process.exit(1);
}
realRoot = await realpath(ROOT);

const server = createServer((req, res) => {
  handle(req, res).catch(() => res.writeHead(500).end());
});
const wanted = parsePort(process.argv.slice(2), process.env);
let port;
try {
  port = await listen(server, wanted);
} catch (error) {
  if (error.code !== "EADDRINUSE") throw error;
  port = await listen(server, 0);
  console.error(`port ${wanted} is in use; using ${port} instead`);
}
console.log(`cimlearn playground: http://127.0.0.1:${port}/`);

const close = () => server.close(() => process.exit(0));
process.on("SIGINT", close);
process.on("SIGTERM", close);
