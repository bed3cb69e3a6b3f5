import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './registry/sqlite/schema.ts',
  out: './registry/migrations',
})
