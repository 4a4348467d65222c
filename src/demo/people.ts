import type { Customer } from "../customers/index.ts";
import { createCustomer } from "../customers/index.ts";
import type { Db } from "../db/client.ts";
import { fixedClock } from "../shared/clock.ts";

const FIRST = [
  "Alex",
  "Sam",
  "Jordan",
  "Taylor",
  "Morgan",
  "Casey",
  "Riley",
  "Jamie",
  "Avery",
  "Quinn",
  "Robin",
  "Charlie",
  "Drew",
  "Elliot",
  "Frankie",
  "Harper",
  "Kai",
  "Logan",
  "Noa",
  "Rowan",
];
const LAST = [
  "Smith",
  "Garcia",
  "Müller",
  "Rossi",
  "Dubois",
  "Silva",
  "Kowalski",
  "Jensen",
  "Novak",
  "Kim",
  "Nakamura",
  "Okafor",
  "Andersson",
  "Costa",
  "Murphy",
  "Schmidt",
  "Ivanova",
  "Haddad",
  "Lopez",
  "Brown",
];

/** Shop customers signing up over the history (a third already existed when it starts). */
export async function seedCustomers(
  db: Db,
  count: number,
  rand: () => number,
  start: number,
  end: number,
): Promise<Array<{ customer: Customer; since: number }>> {
  const out: Array<{ customer: Customer; since: number }> = [];
  const span = end - start;
  const times = Array.from({ length: count }, (_, i) =>
    i === 0 || rand() < 0.33 ? start - 86_400_000 : start + Math.floor(rand() * span * 0.999),
  ).sort((a, b) => a - b);
  for (const [i, since] of times.entries()) {
    const name = `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`;
    const customer = await createCustomer(
      { db, clock: fixedClock(new Date(since)) },
      { email: `customer${String(i + 1).padStart(5, "0")}@shop.example.test`, name },
    );
    out.push({ customer, since });
  }
  return out;
}
