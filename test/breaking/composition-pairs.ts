import { B, both, inRequest, inResponse, N, type Pair } from './fixtures.ts';

/* allOf merged into effective schemas; oneOf/anyOf branches matched by what names them. */

const run = { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string' }, note: { type: 'string' } } };
const runAsAllOf = {
  allOf: [
    { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    { required: ['status'], properties: { status: { type: 'string' }, note: { type: 'string' } } },
  ],
};

const cat = { type: 'object', required: ['kind', 'meow'], properties: { kind: { const: 'cat' }, meow: { type: 'string' } } };
const dog = { type: 'object', required: ['kind', 'bark'], properties: { kind: { const: 'dog' }, bark: { type: 'string' } } };
const bird = { type: 'object', required: ['kind', 'song'], properties: { kind: { const: 'bird' }, song: { type: 'string' } } };
const pets = (...branches: object[]) => ({ oneOf: branches });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const mappedPets = (mapping: Record<string, string>, propertyName = 'kind', names = ['Cat', 'Dog']) => ({
  oneOf: names.map(ref),
  discriminator: { propertyName, mapping: Object.fromEntries(Object.entries(mapping).map(([value, name]) => [value, `#/components/schemas/${name}`])) },
});
const untagged = (name: string, extra: object = {}) => ({ type: 'object', required: [name], properties: { [name]: { type: 'string' }, ...extra } });

export const compositionPairs: Pair[] = [
  ...both('an object refactored into allOf with the same shape', run, runAsAllOf, [], []),
  inResponse(
    'a field removed inside an allOf member',
    runAsAllOf,
    { allOf: [runAsAllOf.allOf[0], { required: ['status'], properties: { status: { type: 'string' } } }] },
    [B('response-field-removed')],
  ),
  inRequest(
    'a field made required inside an allOf member',
    runAsAllOf,
    { allOf: [runAsAllOf.allOf[0], { required: ['status', 'note'], properties: runAsAllOf.allOf[1]!.properties }] },
    [B('request-field-made-required')],
  ),
  ...both('oneOf branches reordered', pets(cat, dog), pets(dog, cat), [], []),
  ...both('branches of one type reordered', { oneOf: [{ type: 'string', format: 'date' }, { type: 'string', format: 'uuid' }] }, { oneOf: [{ type: 'string', format: 'uuid' }, { type: 'string', format: 'date' }] }, [], []),
  ...both('a branch added', pets(cat, dog), pets(cat, dog, bird), [N('request-variant-added')], [B('response-variant-added')]),
  ...both('a branch removed', pets(cat, dog, bird), pets(cat, dog), [B('request-variant-removed')], [N('response-variant-removed')]),
  ...both('anyOf branches reordered and one removed', { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }] }, { anyOf: [{ type: 'boolean' }, { type: 'string' }] }, [B('request-variant-removed')], [N('response-variant-removed')]),
  inResponse('a field removed inside a branch matched by its const', pets(cat, dog), pets(cat, { ...dog, required: ['kind'], properties: { kind: { const: 'dog' } } }), [B('response-field-removed')]),
  inResponse(
    'a field removed inside a branch matched by its required properties',
    pets(untagged('meow'), untagged('bark', { size: { type: 'integer' } })),
    pets(untagged('bark'), untagged('meow')),
    [B('response-field-removed')],
  ),
  ...both('branches matched by $ref target after reordering', { oneOf: [ref('Cat'), ref('Dog')] }, { oneOf: [ref('Dog'), ref('Cat')] }, [], [], [{ Cat: cat, Dog: dog }]),
  ...both(
    'branches matched by discriminator value across a component rename',
    mappedPets({ cat: 'Cat', dog: 'Dog' }),
    mappedPets({ cat: 'Feline', dog: 'Dog' }, 'kind', ['Feline', 'Dog']),
    [],
    [],
    [{ Cat: cat, Dog: dog }, { Feline: cat, Dog: dog }],
  ),
  ...both('a discriminator value added to a branch', mappedPets({ cat: 'Cat', dog: 'Dog' }), mappedPets({ cat: 'Cat', kitty: 'Cat', dog: 'Dog' }), [N('request-discriminator-mapping-widened')], [B('response-discriminator-mapping-widened')], [{ Cat: cat, Dog: dog }]),
  ...both('a discriminator value removed from a branch', mappedPets({ cat: 'Cat', kitty: 'Cat', dog: 'Dog' }), mappedPets({ cat: 'Cat', dog: 'Dog' }), [B('request-discriminator-mapping-narrowed')], [N('response-discriminator-mapping-narrowed')], [{ Cat: cat, Dog: dog }]),
  ...both('a discriminator value renamed', mappedPets({ cat: 'Cat', dog: 'Dog' }), mappedPets({ kitty: 'Cat', dog: 'Dog' }), [B('request-discriminator-mapping-changed')], [B('response-discriminator-mapping-changed')], [{ Cat: cat, Dog: dog }]),
  ...both('a discriminator added over the same branches (matched by their const)', pets(dog, cat), mappedPets({ cat: 'Cat', dog: 'Dog' }), [], [], [{}, { Cat: cat, Dog: dog }]),
  ...both('the discriminator property changed', mappedPets({ cat: 'Cat', dog: 'Dog' }), mappedPets({ cat: 'Cat', dog: 'Dog' }, 'type'), [B('request-discriminator-changed')], [B('response-discriminator-changed')], [{ Cat: cat, Dog: dog }]),
  inResponse('a schema wrapped in oneOf with a new alternative', cat, pets(cat, dog), [B('response-variant-added')]),
  inRequest('a schema wrapped in oneOf with a new alternative', cat, pets(cat, dog), [N('request-variant-added')]),
];
