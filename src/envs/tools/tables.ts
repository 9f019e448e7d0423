// Table-lookup tool over small built-in tables. Example:
// lookupTable("city population", "Lyon", "population") -> "522000".
// Keys are matched after normalizeKey (case, accents, punctuation, spacing), never by guessing:
// a key that does not normalise to a real row or column is an error that names it.
// The figures are rounded, illustrative values fixed for reproducibility, not live data.

import { fail, formatNumber, normalizeKey, ok, type ToolResult } from './types';

export type Cell = string | number;

export interface Table {
  name: string;
  description: string;
  rowLabel: string; // what a row key is ("city", "route")
  columns: string[];
  rows: Record<string, Cell[]>; // row key -> one cell per column
}

export const TABLES: Table[] = [
  {
    name: 'city population',
    description: 'Cities with their population, area in km2 and country.',
    rowLabel: 'city',
    columns: ['population', 'area km2', 'country'],
    rows: {
      Paris: [2103000, 105, 'France'],
      Lyon: [522000, 48, 'France'],
      London: [8866000, 1572, 'United Kingdom'],
      Berlin: [3755000, 891, 'Germany'],
      Munich: [1512000, 310, 'Germany'],
      Madrid: [3332000, 604, 'Spain'],
      Barcelona: [1620000, 101, 'Spain'],
      Rome: [2749000, 1285, 'Italy'],
      Milan: [1371000, 182, 'Italy'],
      Lisbon: [545000, 100, 'Portugal'],
      Porto: [232000, 41, 'Portugal'],
      Tokyo: [9733000, 627, 'Japan'],
      Osaka: [2752000, 225, 'Japan'],
      Ottawa: [1017000, 2790, 'Canada'],
      Toronto: [2795000, 630, 'Canada'],
      Canberra: [467000, 814, 'Australia'],
      Sydney: [5450000, 12368, 'Australia'],
      'Mexico City': [9209000, 1485, 'Mexico'],
      Cairo: [10100000, 3085, 'Egypt'],
      Nairobi: [4397000, 696, 'Kenya'],
      Reykjavik: [139000, 273, 'Iceland'],
    },
  },
  {
    name: 'product price',
    description: 'Shop products with price in USD, weight in kg and units in stock.',
    rowLabel: 'product',
    columns: ['price usd', 'weight kg', 'stock'],
    rows: {
      Kettle: [34.99, 1.2, 18],
      Toaster: [49.5, 2.1, 7],
      Headphones: [89, 0.3, 25],
      Backpack: [59.95, 0.9, 12],
      'Desk Lamp': [27.4, 1.6, 30],
      Blender: [74.25, 3.4, 5],
      'Coffee Grinder': [42, 1.1, 9],
      Umbrella: [15.75, 0.5, 40],
      'Running Shoes': [120, 0.8, 14],
      Notebook: [4.5, 0.25, 200],
      'Water Bottle': [18.2, 0.35, 64],
      Keyboard: [65, 0.95, 21],
    },
  },
  {
    name: 'flight time',
    description: 'Direct flights between capitals: duration in hours and distance in km.',
    rowLabel: 'route',
    columns: ['hours', 'distance km'],
    rows: {
      'Paris to Berlin': [1.75, 878],
      'Paris to Madrid': [2, 1053],
      'Paris to Rome': [2.1, 1106],
      'Paris to Tokyo': [13.5, 9713],
      'Berlin to Rome': [2.1, 1184],
      'Berlin to Lisbon': [3.6, 2311],
      'Madrid to Lisbon': [1.25, 503],
      'Madrid to Mexico City': [12, 9068],
      'Rome to Cairo': [3.25, 2135],
      'Lisbon to Ottawa': [7.5, 5043],
      'Tokyo to Canberra': [10, 7939],
      'Tokyo to Ottawa': [12.5, 10337],
      'Ottawa to Mexico City': [5, 3592],
      'Cairo to Nairobi': [4.75, 3530],
      'Berlin to Reykjavik': [3.9, 2401],
    },
  },
  {
    name: 'exchange rate',
    description: 'Currencies: units of the currency per 1 US dollar.',
    rowLabel: 'currency',
    columns: ['per usd'],
    rows: {
      USD: [1],
      EUR: [0.92],
      GBP: [0.79],
      JPY: [151.4],
      CAD: [1.36],
      AUD: [1.52],
      MXN: [17.1],
      EGP: [47.3],
      KES: [129],
      ISK: [138],
      CHF: [0.9],
    },
  },
];

const TABLE_BY_KEY = new Map(TABLES.map((t) => [normalizeKey(t.name), t]));

export function findTable(name: string): Table | undefined {
  return TABLE_BY_KEY.get(normalizeKey(name));
}

/** The stored row key whose normalised form equals the query's, if any. */
export function findRowKey(table: Table, row: string): string | undefined {
  const wanted = normalizeKey(row);
  return Object.keys(table.rows).find((key) => normalizeKey(key) === wanted);
}

/** The cell as text, exactly as the tool returns it. */
export function cellText(cell: Cell): string {
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

export function lookupTable(tableName: string, row: string, column: string): ToolResult {
  const table = findTable(tableName);
  if (!table) {
    return fail(`no table '${tableName}'; tables are: ${TABLES.map((t) => t.name).join(', ')}`);
  }
  const rowKey = findRowKey(table, row);
  if (rowKey === undefined) return fail(`no ${table.rowLabel} '${row}' in table '${table.name}'`);
  const columnIndex = table.columns.findIndex((c) => normalizeKey(c) === normalizeKey(column));
  if (columnIndex < 0) {
    return fail(
      `no column '${column}' in table '${table.name}'; columns are: ${table.columns.join(', ')}`,
    );
  }
  return ok(cellText(table.rows[rowKey][columnIndex]));
}
