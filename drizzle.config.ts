import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  // The drift check and its test point these elsewhere; normal use takes the defaults.
  schema: process.env.DRIZZLE_SCHEMA ?? "./src/db/schema.ts",
  out: process.env.DRIZZLE_OUT ?? "./drizzle",
  casing: "snake_case",
});
