import { createPublicKey, createVerify } from "node:crypto";

/**
 * Checks the App's JWT the way GitHub does for `/app/*` endpoints: RS256, signed by the App's key,
 * `iss` the App id, not expired, issued at most 60 s in the future. Returns the problem, or undefined.
 */
export function jwtProblem(
  authorization: string | null,
  appId: number,
  privateKeyPem: string,
): string | undefined {
  const token = /^(?:Bearer|bearer) (.+)$/.exec(authorization ?? "")?.[1];
  if (token === undefined) return "an App JWT (Authorization: Bearer …) is required";
  const [header, payload, signature] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined) return "not a JWT";
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(createPublicKey(privateKeyPem), Buffer.from(signature, "base64url"))) {
    return "the JWT signature does not match the App's key";
  }
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  if (String(claims.iss) !== String(appId)) return `the JWT's iss is ${String(claims.iss)}, not App ${appId}`;
  if (typeof claims.exp !== "number" || claims.exp < now) return "the JWT has expired";
  if (typeof claims.iat !== "number" || claims.iat > now + 60) return "the JWT is issued in the future";
  return undefined;
}

/** The installation token from `Authorization: token …` (or Bearer), if any. */
export function installationToken(authorization: string | null): string | undefined {
  return /^(?:token|Bearer|bearer) (ghs_.+)$/.exec(authorization ?? "")?.[1];
}
