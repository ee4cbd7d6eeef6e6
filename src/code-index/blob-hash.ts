import { createHash } from "node:crypto";

/** The id git gives the same content: sha1 of `blob <size>\0<bytes>`. */
export function gitBlobHash(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}
