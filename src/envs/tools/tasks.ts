// Seeded generators of tool-use tasks for two suites:
//   'tools'          mirrors GTA: one to a few calls; scored by answer, tool and execution accuracy;
//   'tools-multihop' mirrors GAIA: chains of hops; level 1/2/3 by the number of steps.
// Each task carries its instruction, the oracle chain (every call with the result it must give),
// the gold answer and its level. The oracle computes every result from the raw data and plain
// arithmetic, not through the tools, so running the chain through runTool checks the toolbox.
// Example ('tools-multihop', level 1): "What is the population of the capital of Japan?"
//   knowledge(Japan, capital) -> Tokyo; table_lookup(city population, Tokyo, population) -> 9733000

import { Rng } from '../../rng';
import { answersMatch } from '../metrics';
import { FACTS } from './knowledge';
import { runTool, type ToolContext, type ToolName } from './registry';
import { renderPictureScreen } from './screen';
import { TABLES, cellText } from './tables';
import { formatNumber, type Box, type Screenshot, type ToolCall } from './types';

export type ToolSuite = 'tools' | 'tools-multihop';
export type ToolLevel = 1 | 2 | 3;

export interface ReferenceStep {
  call: ToolCall & { tool: ToolName };
  result: string;
}

export interface ToolTask {
  id: string; // suite/template/seed
  suite: ToolSuite;
  template: string;
  seed: number;
  level: ToolLevel;
  instruction: string;
  chain: ReferenceStep[];
  gold: string;
  /** The screen the OCR steps read, with the box that holds the text. */
  screen?: { screenshot: Screenshot; textBox: Box };
  /** Normalised match against the gold answer (case, spacing, punctuation, 1,000 = 1000.0). */
  answer(text: string): boolean;
}

/** Level by number of steps: GTA-like tasks 1 / 2 / 3+ calls, GAIA-like 1–2 / 3–4 / 5+ hops. */
export function levelOf(suite: ToolSuite, steps: number): ToolLevel {
  if (suite === 'tools') return steps <= 1 ? 1 : steps === 2 ? 2 : 3;
  return steps <= 2 ? 1 : steps <= 4 ? 2 : 3;
}

// ---------------------------------------------------------------------------------------------
// Oracle steps: each builds a call and its result straight from the data.

const FACT_INDEX = new Map(FACTS.map(([s, r, o]) => [`${s}|${r}`, o]));

function fact(subject: string, relation: string): ReferenceStep {
  const object = FACT_INDEX.get(`${subject}|${relation}`);
  if (object === undefined) throw new Error(`tool tasks: no fact ${subject} / ${relation}`);
  return { call: { tool: 'knowledge', args: { subject, relation } }, result: object };
}

function cell(table: string, row: string, column: string): ReferenceStep {
  const t = TABLES.find((x) => x.name === table);
  const c = t?.columns.indexOf(column) ?? -1;
  const r = t?.rows[row];
  if (!t || !r || c < 0) throw new Error(`tool tasks: no cell ${table} / ${row} / ${column}`);
  return { call: { tool: 'table_lookup', args: { table, row, column } }, result: cellText(r[c]) };
}

function calc(expression: string, value: number): ReferenceStep {
  return { call: { tool: 'calculator', args: { expression } }, result: formatNumber(value) };
}

// Conversions the generators use, with factors written out independently of units.ts.
const CONVERSIONS: { from: string; to: string; apply(v: number): number }[] = [
  { from: 'mi', to: 'km', apply: (v) => v * 1.609344 },
  { from: 'km', to: 'mi', apply: (v) => v / 1.609344 },
  { from: 'kg', to: 'lb', apply: (v) => v / 0.45359237 },
  { from: 'lb', to: 'kg', apply: (v) => v * 0.45359237 },
  { from: 'C', to: 'F', apply: (v) => (v * 9) / 5 + 32 },
  { from: 'F', to: 'C', apply: (v) => ((v - 32) * 5) / 9 },
  { from: 'h', to: 'min', apply: (v) => v * 60 },
  { from: 'L', to: 'gal', apply: (v) => v / 3.785411784 },
  { from: 'GB', to: 'MB', apply: (v) => v * 1000 },
  { from: 'km/h', to: 'mph', apply: (v) => v / 1.609344 },
  { from: 'ft', to: 'm', apply: (v) => v * 0.3048 },
];

function convert(value: number, from: string, to: string): ReferenceStep {
  const conversion = CONVERSIONS.find((c) => c.from === from && c.to === to);
  if (!conversion) throw new Error(`tool tasks: no conversion ${from} -> ${to}`);
  return {
    call: { tool: 'unit_convert', args: { value, from, to } },
    result: formatNumber(conversion.apply(value)),
  };
}

/** Reading the picture: the result is the text that was drawn into the box. */
function ocr(box: Box, text: string): ReferenceStep {
  return { call: { tool: 'ocr', args: { ...box } }, result: text };
}

const num = (step: ReferenceStep): number => Number(step.result);

// ---------------------------------------------------------------------------------------------
// Data the templates draw from

const tableOf = (name: string) => TABLES.find((t) => t.name === name)!;
const CITIES = Object.keys(tableOf('city population').rows);
const PRODUCTS = Object.keys(tableOf('product price').rows);
const ROUTES = Object.keys(tableOf('flight time').rows);
const CURRENCIES = new Set(Object.keys(tableOf('exchange rate').rows));
const factsWith = (relation: string) => FACTS.filter((f) => f[1] === relation);
/** Countries whose capital is in the city table and whose currency has an exchange rate. */
const COUNTRIES = factsWith('capital')
  .filter(([, , capital]) => CITIES.includes(capital))
  .map(([country]) => country)
  .filter((country) => CURRENCIES.has(FACT_INDEX.get(`${country}|currency`)!));
const INVENTIONS = factsWith('inventor')
  .filter(([, , inventor]) => COUNTRIES.includes(FACT_INDEX.get(`${inventor}|birth country`) ?? ''))
  .map(([invention]) => invention);
const countryOfCapital = (city: string): string | undefined => FACT_INDEX.get(`${city}|country`);
/** Routes between capitals of known countries, as [from, to]. */
const CAPITAL_ROUTES = ROUTES.map((r) => r.split(' to ') as [string, string]).filter((pair) =>
  pair.every((city) => {
    const country = countryOfCapital(city);
    return country !== undefined && COUNTRIES.includes(country);
  }),
);
/** Two routes that share the middle city, as [from, via, to]. */
const CONNECTIONS = CAPITAL_ROUTES.flatMap(([a, b]) =>
  CAPITAL_ROUTES.filter(([c]) => c === b).map(([, d]): [string, string, string] => [a, b, d]),
);

const plural = (n: number, word: string): string => (n === 1 ? word : `${word}s`);
const lower = (s: string): string => s.toLowerCase();

// ---------------------------------------------------------------------------------------------
// Templates

interface Draft {
  instruction: string;
  chain: ReferenceStep[];
  gold: string;
  screen?: ToolTask['screen'];
}

export interface ToolTaskTemplate {
  id: string;
  suite: ToolSuite;
  level: ToolLevel;
  generate(rng: Rng): Draft;
}

/** The common case: the answer is the result of the last step. */
function draft(instruction: string, chain: ReferenceStep[]): Draft {
  return { instruction, chain, gold: chain[chain.length - 1].result };
}

export const TOOL_TASK_TEMPLATES: ToolTaskTemplate[] = [
  // --- 'tools' (GTA-like) ---------------------------------------------------------------------
  {
    // "What is 17.5% of 240?"
    id: 'percent-of',
    suite: 'tools',
    level: 1,
    generate(rng) {
      const percent = rng.pick([5, 10, 12.5, 15, 17.5, 20, 25, 30, 45, 60]);
      const amount = rng.int(20, 2000);
      return draft(`What is ${percent}% of ${amount}?`, [
        calc(`${amount} * ${percent} / 100`, (amount * percent) / 100),
      ]);
    },
  },
  {
    // "Compute (12 + 7) × 3 − 4."
    id: 'arithmetic',
    suite: 'tools',
    level: 1,
    generate(rng) {
      const [a, b, c, d] = [rng.int(2, 99), rng.int(2, 99), rng.int(2, 12), rng.int(1, 50)];
      return draft(`Compute (${a} + ${b}) × ${c} − ${d}.`, [
        calc(`(${a} + ${b}) * ${c} - ${d}`, (a + b) * c - d),
      ]);
    },
  },
  {
    // "Convert 12 mi to km."
    id: 'convert',
    suite: 'tools',
    level: 1,
    generate(rng) {
      const { from, to } = rng.pick(CONVERSIONS);
      const value = rng.int(1, 500) / rng.pick([1, 2, 10]);
      return draft(`Convert ${value} ${from} to ${to}.`, [convert(value, from, to)]);
    },
  },
  {
    // "According to the city population table, what is the area km2 of Porto?"
    id: 'table-cell',
    suite: 'tools',
    level: 1,
    generate(rng) {
      const table = rng.pick(TABLES);
      const row = rng.pick(Object.keys(table.rows));
      const column = rng.pick(table.columns);
      return draft(`According to the ${table.name} table, what is the ${column} of ${row}?`, [
        cell(table.name, row, column),
      ]);
    },
  },
  {
    // "What is the capital of Kenya?" / "Who is the inventor of the radio?"
    id: 'fact',
    suite: 'tools',
    level: 1,
    generate(rng) {
      const [subject, relation] = rng.pick(
        FACTS.filter(([, r]) =>
          ['capital', 'currency', 'continent', 'inventor', 'measures', 'settings section'].includes(
            r,
          ),
        ),
      );
      return draft(`Look up the ${relation} of ${subject}.`, [fact(subject, relation)]);
    },
  },
  {
    // "How much do 3 backpacks cost in USD?"
    id: 'shop-total',
    suite: 'tools',
    level: 2,
    generate(rng) {
      const product = rng.pick(PRODUCTS);
      const count = rng.int(2, 9);
      const price = cell('product price', product, 'price usd');
      return draft(`How much do ${count} ${plural(count, lower(product))} cost in USD?`, [
        price,
        calc(`${price.result} * ${count}`, num(price) * count),
      ]);
    },
  },
  {
    // "How many pounds does a kettle weigh?"
    id: 'product-weight-lb',
    suite: 'tools',
    level: 2,
    generate(rng) {
      const product = rng.pick(PRODUCTS);
      const weight = cell('product price', product, 'weight kg');
      return draft(`How many pounds (lb) does one ${lower(product)} weigh?`, [
        weight,
        convert(num(weight), 'kg', 'lb'),
      ]);
    },
  },
  {
    // "How many minutes does the flight from Paris to Rome take?"
    id: 'flight-minutes',
    suite: 'tools',
    level: 2,
    generate(rng) {
      const route = rng.pick(ROUTES);
      const hours = cell('flight time', route, 'hours');
      return draft(`How many minutes does the flight from ${route} take?`, [
        hours,
        convert(num(hours), 'h', 'min'),
      ]);
    },
  },
  {
    // "How many more people live in Berlin than in Munich?"
    id: 'population-difference',
    suite: 'tools',
    level: 3,
    generate(rng) {
      const [a, b] = rng.shuffle(CITIES).slice(0, 2);
      const popA = cell('city population', a, 'population');
      const popB = cell('city population', b, 'population');
      return draft(`How many more people live in ${a} than in ${b}? (Negative if fewer.)`, [
        popA,
        popB,
        calc(`${popA.result} - ${popB.result}`, num(popA) - num(popB)),
      ]);
    },
  },

  {
    // "What text is shown in the picture?" (a screen with a sign reading "GATE B12")
    id: 'read-picture',
    suite: 'tools',
    level: 1,
    generate(rng) {
      const text = rng.pick([
        () => rng.pick(PRODUCTS),
        () => rng.pick(CITIES),
        () => `GATE ${rng.pick([...'ABCDEF'])}${rng.int(1, 40)}`,
        () => `CODE ${rng.int(1000, 9999)}-${rng.int(10, 99)}`,
      ])();
      const screen = renderPictureScreen(rng, 'Photos', ['Shared with you'], text);
      return {
        ...draft('What text is shown in the picture?', [ocr(screen.textBox, text)]),
        screen,
      };
    },
  },
  {
    // "The picture shows a restaurant bill. How much is a 15% tip on it, in USD?"
    id: 'picture-tip',
    suite: 'tools',
    level: 2,
    generate(rng) {
      const amount = rng.int(500, 25000) / 100;
      const percent = rng.pick([10, 12, 15, 18, 20, 25]);
      const screen = renderPictureScreen(
        rng,
        'Receipts',
        ['Dinner', 'Paid by card'],
        `$${amount.toFixed(2)}`,
      );
      return {
        ...draft(
          `The picture shows a restaurant bill. How much is a ${percent}% tip on it, in USD?`,
          [
            ocr(screen.textBox, `$${amount.toFixed(2)}`),
            calc(`${formatNumber(amount)} * ${percent} / 100`, (amount * percent) / 100),
          ],
        ),
        screen,
      };
    },
  },

  // --- 'tools-multihop' (GAIA-like) -----------------------------------------------------------
  {
    // "What is the population of the capital of Japan?"
    id: 'capital-population',
    suite: 'tools-multihop',
    level: 1,
    generate(rng) {
      const country = rng.pick(COUNTRIES);
      const capital = fact(country, 'capital');
      return draft(`What is the population of the capital of ${country}?`, [
        capital,
        cell('city population', capital.result, 'population'),
      ]);
    },
  },
  {
    // "In which country was the inventor of the radio born?"
    id: 'inventor-country',
    suite: 'tools-multihop',
    level: 1,
    generate(rng) {
      const invention = rng.pick(INVENTIONS);
      const inventor = fact(invention, 'inventor');
      return draft(`In which country was the inventor of the ${invention} born?`, [
        inventor,
        fact(inventor.result, 'birth country'),
      ]);
    },
  },
  {
    // "What is the capital of the country where the inventor of braille was born?"
    id: 'inventor-capital',
    suite: 'tools-multihop',
    level: 2,
    generate(rng) {
      const invention = rng.pick(INVENTIONS);
      const inventor = fact(invention, 'inventor');
      const country = fact(inventor.result, 'birth country');
      return draft(
        `What is the capital of the country where the inventor of the ${invention} was born?`,
        [inventor, country, fact(country.result, 'capital')],
      );
    },
  },
  {
    // "How many people per km2 live in the capital of Spain?"
    id: 'capital-density',
    suite: 'tools-multihop',
    level: 2,
    generate(rng) {
      const country = rng.pick(COUNTRIES);
      const capital = fact(country, 'capital');
      const population = cell('city population', capital.result, 'population');
      const area = cell('city population', capital.result, 'area km2');
      return draft(`How many people per km2 live in the capital of ${country}?`, [
        capital,
        population,
        area,
        calc(`${population.result} / ${area.result}`, num(population) / num(area)),
      ]);
    },
  },
  {
    // "What do 2 kettles cost in the currency of Japan?"
    id: 'price-local-currency',
    suite: 'tools-multihop',
    level: 2,
    generate(rng) {
      const product = rng.pick(PRODUCTS);
      const country = rng.pick(COUNTRIES);
      const count = rng.int(1, 5);
      const price = cell('product price', product, 'price usd');
      const currency = fact(country, 'currency');
      const rate = cell('exchange rate', currency.result, 'per usd');
      return draft(
        `What do ${count} ${plural(count, lower(product))} cost in the currency of ${country}? Answer in that currency.`,
        [
          price,
          currency,
          rate,
          calc(`${price.result} * ${count} * ${rate.result}`, num(price) * count * num(rate)),
        ],
      );
    },
  },
  {
    // "How many minutes is the flight from the capital of France to the capital of Italy?"
    id: 'capital-flight-minutes',
    suite: 'tools-multihop',
    level: 2,
    generate(rng) {
      const [from, to] = rng.pick(CAPITAL_ROUTES);
      const a = countryOfCapital(from)!;
      const b = countryOfCapital(to)!;
      const capA = fact(a, 'capital');
      const capB = fact(b, 'capital');
      const hours = cell('flight time', `${capA.result} to ${capB.result}`, 'hours');
      return draft(
        `How many minutes is the direct flight from the capital of ${a} to the capital of ${b}?`,
        [capA, capB, hours, convert(num(hours), 'h', 'min')],
      );
    },
  },
  {
    // "The postcard names a country. What is the population of its capital?"
    id: 'picture-capital-population',
    suite: 'tools-multihop',
    level: 2,
    generate(rng) {
      const country = rng.pick(COUNTRIES);
      const screen = renderPictureScreen(rng, 'Postcards', ['From a friend'], country);
      const capital = fact(country, 'capital');
      return {
        ...draft(
          'The postcard in the picture names a country. What is the population of its capital?',
          [
            ocr(screen.textBox, country),
            capital,
            cell('city population', capital.result, 'population'),
          ],
        ),
        screen,
      };
    },
  },
  {
    // "What would 3 of the product in the picture cost in the currency of Kenya?"
    id: 'picture-product-local-price',
    suite: 'tools-multihop',
    level: 3,
    generate(rng) {
      const product = rng.pick(PRODUCTS);
      const country = rng.pick(COUNTRIES);
      const count = rng.int(2, 6);
      const screen = renderPictureScreen(rng, 'Wishlist', ['Saved item'], product);
      const price = cell('product price', product, 'price usd');
      const currency = fact(country, 'currency');
      const rate = cell('exchange rate', currency.result, 'per usd');
      return {
        ...draft(
          `What would ${count} of the product in the picture cost in the currency of ${country}? Answer in that currency.`,
          [
            ocr(screen.textBox, product),
            price,
            currency,
            rate,
            calc(`${price.result} * ${count} * ${rate.result}`, num(price) * count * num(rate)),
          ],
        ),
        screen,
      };
    },
  },
  {
    // "How many people per km2 live in the capital of the birth country of the inventor of radio?"
    id: 'inventor-capital-density',
    suite: 'tools-multihop',
    level: 3,
    generate(rng) {
      const invention = rng.pick(INVENTIONS);
      const inventor = fact(invention, 'inventor');
      const country = fact(inventor.result, 'birth country');
      const capital = fact(country.result, 'capital');
      const population = cell('city population', capital.result, 'population');
      const area = cell('city population', capital.result, 'area km2');
      return draft(
        `How many people per km2 live in the capital of the country where the inventor of the ${invention} was born?`,
        [
          inventor,
          country,
          capital,
          population,
          area,
          calc(`${population.result} / ${area.result}`, num(population) / num(area)),
        ],
      );
    },
  },
  {
    // "Flying from the capital of France via the capital of Germany to the capital of Italy,
    //  how many minutes are spent in the air?"
    id: 'connection-minutes',
    suite: 'tools-multihop',
    level: 3,
    generate(rng) {
      const [from, via, to] = rng.pick(CONNECTIONS);
      const [a, b, c] = [from, via, to].map((city) => countryOfCapital(city)!);
      const caps = [a, b, c].map((country) => fact(country, 'capital'));
      const leg1 = cell('flight time', `${caps[0].result} to ${caps[1].result}`, 'hours');
      const leg2 = cell('flight time', `${caps[1].result} to ${caps[2].result}`, 'hours');
      const total = calc(`${leg1.result} + ${leg2.result}`, num(leg1) + num(leg2));
      return draft(
        `Flying from the capital of ${a} via the capital of ${b} to the capital of ${c}, how many minutes are spent in the air?`,
        [...caps, leg1, leg2, total, convert(num(total), 'h', 'min')],
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------

export interface ToolTaskOptions {
  level?: ToolLevel;
  template?: string;
}

export function templatesFor(suite: ToolSuite, options: ToolTaskOptions = {}): ToolTaskTemplate[] {
  return TOOL_TASK_TEMPLATES.filter(
    (t) =>
      t.suite === suite &&
      (options.level === undefined || t.level === options.level) &&
      (options.template === undefined || t.id === options.template),
  );
}

/** The task of `suite` for `seed`: the same seed always gives the same task. */
export function generateToolTask(
  suite: ToolSuite,
  seed: number,
  options: ToolTaskOptions = {},
): ToolTask {
  const templates = templatesFor(suite, options);
  if (templates.length === 0) {
    throw new Error(`no ${suite} template for ${JSON.stringify(options)}`);
  }
  const rng = new Rng(seed);
  const template = rng.pick(templates);
  const { instruction, chain, gold, screen } = template.generate(rng.fork(1));
  return {
    id: `${suite}/${template.id}/${seed}`,
    suite,
    template: template.id,
    seed,
    level: template.level,
    instruction,
    chain,
    gold,
    screen,
    answer: (text) => answersMatch(text, gold),
  };
}

/** Runs the oracle chain through the toolbox; what a perfect agent would observe. */
export function runChain(task: ToolTask): ReturnType<typeof runTool>[] {
  const context: ToolContext = { screenshot: task.screen?.screenshot };
  return task.chain.map((step) => runTool(step.call, context));
}
