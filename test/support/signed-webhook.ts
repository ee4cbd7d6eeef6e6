import { createHmac } from "node:crypto";

/** The `x-hub-signature-256` GitHub sends with a webhook `body` signed with `secret`. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** POST a webhook delivery to the App at `baseUrl`, as GitHub does; unsigned when `secret` is null. */
export function postWebhook(
  baseUrl: string,
  delivery: {
    id: string;
    event: string;
    body: string;
    secret: string | null;
    headers?: Record<string, string>;
  },
): Promise<Response> {
  const { id, event, body, secret } = delivery;
  return fetch(`${baseUrl}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": id,
      ...(secret === null ? {} : { "x-hub-signature-256": webhookSignature(body, secret) }),
      ...delivery.headers,
    },
    body,
  });
}
