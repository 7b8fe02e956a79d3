import { z } from "zod";
import type { Customer } from "../../generated/prisma/client.js";
import { UnauthorizedError } from "../errors.js";
import type { Scope } from "../scope.js";

/** A customer as the outside world may see it: never the password hash. */
export function publicCustomer(customer: Customer) {
  const { passwordHash: _hash, ...visible } = customer;
  return visible;
}

export const email = z
  .email({ message: "must be an email address" })
  .max(254)
  .transform((value) => value.toLowerCase());
export const name = z.string().trim().min(1).max(100);
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{5,30}$/, "must be a phone number");

/** The signed-in customer of a request, or 401: /me and its GraphQL twins are for customers only. */
export function requireCustomer(scope: Scope): string {
  if (scope.actor.kind !== "customer")
    throw new UnauthorizedError("Sign in as a customer: this needs a customer session.");
  return scope.actor.id;
}
