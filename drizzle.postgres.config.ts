// drizzle-kit's settings for the PostgreSQL dialect of the registry's tables (`npm run db:generate` runs both).
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './registry/postgres/schema.ts',
  out: './registry/postgres/migrations',
})
