import { getUser } from "../../../auth/index.ts";
import type { ServiceContext } from "../../../context.ts";

/**
 * Who did something, as stored: an audit row's or an order event's actor type and id (an API token
 * is `api_token` in the audit log and `token:<id>` in order events), or a refund's `requested_by`
 * metadata (`user:3`, `cli:cli`, `system`).
 */
export interface ActorRef {
  type: string;
  id: string | null;
  /** The role the actor had then, when the record kept it (audit rows do). */
  role?: string | null;
}

/** A staff member as the pages name them. */
export interface Person {
  name: string;
  role: string;
}

/** Users by id (as text, the way actors store it). */
export type People = ReadonlyMap<string, Person>;

const MACHINES: Record<string, string> = {
  system: "System",
  webhook: "Stripe webhook",
  cli: "CLI",
  worker: "Worker",
};

/** `user:3` → user 3; `system` → the system. Anything else is kept as a type with no id. */
export function parseActorText(text: string): ActorRef {
  const at = text.indexOf(":");
  if (at < 0) return { type: text, id: null };
  return { type: text.slice(0, at), id: text.slice(at + 1) || null };
}

function tokenId(actor: ActorRef): string | null {
  if (actor.type === "api_token") return actor.id;
  if (actor.type === "token") return actor.id;
  if (actor.type === "user" && actor.id?.startsWith("token:")) return actor.id.slice("token:".length);
  return null;
}

/**
 * The one way pages name an actor: "Olivia Ops (ops)" for a staff user, "Customer" for a shop
 * login (a customer's name is personal data some staff may not see), "System", "Stripe webhook",
 * "CLI", "API token #5 (analyst)". A user no longer known keeps their number and the role recorded.
 */
export function actorLabel(actor: ActorRef, people: People): string {
  const token = tokenId(actor);
  if (token !== null) return `API token #${token}${actor.role ? ` (${actor.role})` : ""}`;
  if (actor.type === "user" || actor.type === "customer") {
    const person = actor.id ? people.get(actor.id) : undefined;
    const role = person?.role ?? actor.role ?? (actor.type === "customer" ? "customer" : null);
    if (role === "customer") return "Customer";
    if (person) return `${person.name} (${person.role})`;
    return `User #${actor.id ?? "?"}${role ? ` (${role})` : ""}`;
  }
  const machine = MACHINES[actor.type];
  if (machine) return machine;
  return actor.id && actor.id !== actor.type ? `${actor.type} ${actor.id}` : actor.type;
}

/** The users among `actors`, read one by one (a page names a handful of people at most). */
export async function peopleOf(
  ctx: Pick<ServiceContext, "db">,
  actors: Iterable<ActorRef | null | undefined>,
): Promise<People> {
  const ids = new Set<number>();
  for (const a of actors) {
    if (a && (a.type === "user" || a.type === "customer") && a.id && /^\d+$/.test(a.id))
      ids.add(Number(a.id));
  }
  const people = new Map<string, Person>();
  for (const id of ids) {
    const user = await getUser(ctx, id);
    if (user) people.set(String(id), { name: user.displayName, role: user.role });
  }
  return people;
}
