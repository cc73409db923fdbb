import { z } from 'zod';
import { configSchema } from './config-schema.js';

/** The JSON Schema of `loadgate.yml` (what a user writes: the schema's input side). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://raw.githubusercontent.com/loadgate/loadgate/main/loadgate.schema.json',
    title: 'loadgate.yml',
  };
}
