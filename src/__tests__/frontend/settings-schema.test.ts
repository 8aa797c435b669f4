/**
 * The settings editor shows what the schemas offer: no setting offers a raw `null`
 * (the backend's "kernel default" is a named choice), and every default is one of
 * its choices.
 */
import * as fs from 'fs';
import * as path from 'path';

const SCHEMA_DIR = path.resolve(__dirname, '../../../schema');

const schemas = fs
  .readdirSync(SCHEMA_DIR)
  .filter(name => name.endsWith('.json'))
  .map(name => ({ name, schema: JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8')) }));

test('the schemas are there', () => {
  expect(schemas.map(s => s.name).sort()).toEqual(['backend.json', 'lint.json']);
});

test.each(schemas)('$name: no null choice, defaults among the choices', ({ schema }) => {
  const properties = Object.entries(schema.properties as Record<string, any>);
  expect(properties.length).toBeGreaterThan(0);
  for (const [name, property] of properties) {
    const types = [property.type].flat();
    expect({ name, nullType: types.includes('null') }).toEqual({ name, nullType: false });
    expect({ name, nullDefault: property.default === null }).toEqual({ name, nullDefault: false });
    if (property.enum) {
      expect({ name, nullChoice: property.enum.includes(null) }).toEqual({ name, nullChoice: false });
      expect(property.enum).toContain(property.default);
    }
  }
});
