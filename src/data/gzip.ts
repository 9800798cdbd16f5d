// Decompression with the web platform's DecompressionStream (browsers, web
// workers, Node ≥ 18): no node: imports. Node code may pass zlib instead.

import { DatasetError } from "./dataset.js";

/** Turns compressed bytes into plain bytes; `file` names the source in errors. */
export type Gunzip = (bytes: Uint8Array, file: string) => Promise<Uint8Array>;

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function decompress(bytes: Uint8Array, format: "gzip" | "deflate"): Promise<Uint8Array> {
  // A Blob reads the input without copying it into the stream by hand; Response gathers the output.
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** gunzip with DecompressionStream. Corrupt or cut-short data fails with a DatasetError naming `file`. */
export const webGunzip: Gunzip = async (bytes, file) => {
  try {
    return await decompress(bytes, "gzip");
  } catch (e) {
    throw new DatasetError(
      `${file}: corrupt gzip data (${(e as Error).message}); it is probably cut short: delete it and fetch it again`,
      file,
    );
  }
};

/** Inflates zlib-format (RFC 1950) data with DecompressionStream. */
export function webInflate(bytes: Uint8Array): Promise<Uint8Array> {
  return decompress(bytes, "deflate");
}

/** The plain bytes of a file that may be gzip-compressed (detected by its magic number, not its name). */
export async function maybeGunzip(bytes: Uint8Array, file: string, gunzip: Gunzip = webGunzip): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, file) : bytes;
}
