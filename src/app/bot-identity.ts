import type { Probot } from "probot";
import { AutofixError } from "../errors.ts";

/**
 * The App's own login (`<slug>[bot]`), asked once of `GET /app` with the App's JWT and cached.
 * It tells the App's reactions and comments apart from people's (and from other Apps').
 * A failed lookup is not cached, so the next event tries again.
 */
export function botLoginResolver(app: Probot): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= lookUp(app).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function lookUp(app: Probot): Promise<string> {
  const octokit = await app.auth();
  let slug: string | undefined;
  try {
    const { data } = await octokit.rest.apps.getAuthenticated();
    slug = data?.slug;
  } catch (error) {
    throw new AutofixError("app_identity_unknown", "could not ask GitHub who this App is (GET /app)", {
      hint: "check APP_ID and the private key, and that GHE_HOST points at your GitHub",
      cause: error,
    });
  }
  if (!slug) {
    throw new AutofixError("app_identity_unknown", "GitHub's GET /app answer has no slug for this App");
  }
  return `${slug}[bot]`;
}
