import { isAutofixError } from "../errors.ts";
import { DockerUnreachableError, ImageNotFoundError } from "./errors.ts";

type DockerishError = { statusCode?: unknown; code?: unknown; message?: unknown; json?: unknown };

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "EPERM", "ECONNRESET", "ETIMEDOUT"]);

/** Turn what dockerode throws into our typed errors where we know what it means; pass the rest on. */
export function translateDockerError(error: unknown, image?: string): unknown {
  if (isAutofixError(error) || typeof error !== "object" || error === null) return error;
  const { statusCode, code, message } = error as DockerishError;
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) {
    return new DockerUnreachableError(`${code} (${String(message ?? "")})`, error);
  }
  if (
    statusCode === 404 &&
    image !== undefined &&
    /no such image|not found|pull access/i.test(String(message))
  ) {
    return new ImageNotFoundError(image);
  }
  return error;
}
