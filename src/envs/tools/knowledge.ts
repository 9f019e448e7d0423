// Knowledge-base tool: (subject, relation) -> object over a small set of built-in facts.
// Example: queryKnowledge("diesel engine", "inventor") -> "Rudolf Diesel".
// Objects are themselves subjects (or table rows), so answers chain across hops:
// diesel engine -inventor-> Rudolf Diesel -birth country-> France -capital-> Paris.

import { fail, normalizeKey, ok, type ToolResult } from './types';

export type Fact = readonly [subject: string, relation: string, object: string];

const COUNTRIES: [country: string, capital: string, currency: string, continent: string][] = [
  ['France', 'Paris', 'EUR', 'Europe'],
  ['Germany', 'Berlin', 'EUR', 'Europe'],
  ['Spain', 'Madrid', 'EUR', 'Europe'],
  ['Italy', 'Rome', 'EUR', 'Europe'],
  ['Portugal', 'Lisbon', 'EUR', 'Europe'],
  ['United Kingdom', 'London', 'GBP', 'Europe'],
  ['Iceland', 'Reykjavik', 'ISK', 'Europe'],
  ['Japan', 'Tokyo', 'JPY', 'Asia'],
  ['Canada', 'Ottawa', 'CAD', 'North America'],
  ['Mexico', 'Mexico City', 'MXN', 'North America'],
  ['Australia', 'Canberra', 'AUD', 'Oceania'],
  ['Egypt', 'Cairo', 'EGP', 'Africa'],
  ['Kenya', 'Nairobi', 'KES', 'Africa'],
];

const LANGUAGES: [country: string, language: string][] = [
  ['France', 'French'],
  ['Germany', 'German'],
  ['Spain', 'Spanish'],
  ['Italy', 'Italian'],
  ['Portugal', 'Portuguese'],
  ['United Kingdom', 'English'],
  ['Iceland', 'Icelandic'],
  ['Japan', 'Japanese'],
  ['Mexico', 'Spanish'],
  ['Australia', 'English'],
  ['Egypt', 'Arabic'],
];

const CURRENCY_NAMES: [code: string, name: string][] = [
  ['EUR', 'euro'],
  ['GBP', 'pound sterling'],
  ['ISK', 'Icelandic krona'],
  ['JPY', 'yen'],
  ['CAD', 'Canadian dollar'],
  ['MXN', 'Mexican peso'],
  ['AUD', 'Australian dollar'],
  ['EGP', 'Egyptian pound'],
  ['KES', 'Kenyan shilling'],
];

const INVENTIONS: [invention: string, inventor: string, birthCountry: string][] = [
  ['diesel engine', 'Rudolf Diesel', 'France'],
  ['printing press', 'Johannes Gutenberg', 'Germany'],
  ['radio', 'Guglielmo Marconi', 'Italy'],
  ['electric battery', 'Alessandro Volta', 'Italy'],
  ['braille', 'Louis Braille', 'France'],
  ['stethoscope', 'Rene Laennec', 'France'],
  ['basketball', 'James Naismith', 'Canada'],
  ['flight recorder', 'David Warren', 'Australia'],
  ['world wide web', 'Tim Berners-Lee', 'United Kingdom'],
  ['QR code', 'Masahiro Hara', 'Japan'],
  ['electric submarine', 'Isaac Peral', 'Spain'],
];

const SI_UNITS: [unit: string, quantity: string, namedAfter: string][] = [
  ['newton', 'force', 'Isaac Newton'],
  ['joule', 'energy', 'James Prescott Joule'],
  ['watt', 'power', 'James Watt'],
  ['pascal', 'pressure', 'Blaise Pascal'],
  ['hertz', 'frequency', 'Heinrich Hertz'],
  ['volt', 'electric potential', 'Alessandro Volta'],
];

// Facts about the simulated apps (src/envs/apps), so tool tasks can ask where a setting lives.
// Keep these in step with the apps' screens.
const APP_FACTS: Fact[] = [
  ['wi-fi', 'settings section', 'Network'],
  ['airplane mode', 'settings section', 'Network'],
  ['mobile data', 'settings section', 'Network'],
  ['dark theme', 'settings section', 'Display'],
  ['brightness', 'settings section', 'Display'],
  ['ring volume', 'settings section', 'Sound'],
  ['do not disturb', 'settings section', 'Sound'],
  ['device name', 'settings section', 'About phone'],
  ['developer options', 'unlocked by', 'tapping Build number three times'],
  ['mail app', 'default tab', 'Inbox'],
];

export const FACTS: readonly Fact[] = [
  ...COUNTRIES.flatMap(([country, capital, currency, continent]): Fact[] => [
    [country, 'capital', capital],
    [country, 'currency', currency],
    [country, 'continent', continent],
    [capital, 'country', country],
  ]),
  ...LANGUAGES.map(([country, language]): Fact => [country, 'language', language]),
  ...CURRENCY_NAMES.map(([code, name]): Fact => [code, 'currency name', name]),
  ...INVENTIONS.flatMap(([invention, inventor, birthCountry]): Fact[] => [
    [invention, 'inventor', inventor],
    [inventor, 'birth country', birthCountry],
  ]),
  ...SI_UNITS.flatMap(([unit, quantity, person]): Fact[] => [
    [unit, 'measures', quantity],
    [unit, 'named after', person],
  ]),
  ...APP_FACTS,
];

// Alternative spellings of relations an agent is likely to write.
const RELATION_ALIASES: Record<string, string> = {
  'capital city': 'capital',
  'invented by': 'inventor',
  'born in country': 'birth country',
  'country of birth': 'birth country',
  'located in': 'country',
  'quantity measured': 'measures',
};

// subject key -> relation key -> [subject as stored, relation as stored, object]
const INDEX = new Map<string, Map<string, Fact>>();
for (const fact of FACTS) {
  const subjectKey = normalizeKey(fact[0]);
  const relationKey = normalizeKey(fact[1]);
  let relations = INDEX.get(subjectKey);
  if (!relations) INDEX.set(subjectKey, (relations = new Map()));
  if (relations.has(relationKey)) throw new Error(`knowledge: duplicate fact ${fact.join(' / ')}`);
  relations.set(relationKey, fact);
}

function relationKeyOf(relation: string): string {
  const key = normalizeKey(relation);
  return normalizeKey(RELATION_ALIASES[key] ?? key);
}

export function queryKnowledge(subject: string, relation: string): ToolResult {
  const relations = INDEX.get(normalizeKey(subject));
  if (!relations) return fail(`no facts about '${subject}'`);
  const fact = relations.get(relationKeyOf(relation));
  if (!fact) {
    const known = [...relations.values()].map((f) => f[1]).join(', ');
    return fail(`no relation '${relation}' for '${subject}'; known relations: ${known}`);
  }
  return ok(fact[2]);
}

/** The objects reached by following relations one hop at a time (the oracle of a chain). */
export function followRelations(subject: string, relations: readonly string[]): string[] {
  const objects: string[] = [];
  let current = subject;
  for (const relation of relations) {
    const step = queryKnowledge(current, relation);
    if (!step.ok) throw new Error(`knowledge chain broken: ${step.error}`);
    objects.push((current = step.result));
  }
  return objects;
}
