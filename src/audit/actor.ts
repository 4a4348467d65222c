/** Who made a change. Carried from the web request or CLI into services. */
export interface Actor {
  type: "user" | "system" | "cli" | "api_token" | "webhook";
  id: string | null;
  role: string | null;
  requestId?: string | null;
  /** HMAC of the client IP (never the IP itself). */
  ipHash?: string | null;
}

export const systemActor: Actor = { type: "system", id: "system", role: null };
export const cliActor: Actor = { type: "cli", id: "cli", role: "admin" };
export const webhookActor: Actor = { type: "webhook", id: "stripe", role: null };
