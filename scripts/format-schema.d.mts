// Types of format-schema.mjs, for the test that imports it.
export function formatSchemaSource(source: string, filePath: string): string
