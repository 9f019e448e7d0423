// Calendar: a month grid (days with events carry a coloured dot, pixels only), a day view,
// an agenda that runs far past the screen, and an event editor with a date-picker dialog, a
// time-picker dialog and a delete that asks first. "Today" is fixed so tasks can name dates.
import type { Rng } from '../../rng';
import { defineApp, fail } from '../app';
import { Column, dialog, iconButton } from '../ui';
import type { ColorName, UiNode } from '../types';

export interface CalEvent {
  id: string;
  title: string;
  /** 'YYYY-MM-DD'. */
  date: string;
  /** 'HH:MM', 24-hour. */
  time: string;
  /** Drawn as a swatch or dot only. */
  color: ColorName;
}

/** The event being created (id null) or edited. */
export interface EventDraft {
  id: string | null;
  title: string;
  date: string;
  time: string;
}

export type CalendarDialog =
  { kind: 'date'; month: string } | { kind: 'time' } | { kind: 'delete' };

export interface CalendarState {
  page: 'month' | 'agenda' | 'day' | 'edit';
  /** Month shown in the month view, 'YYYY-MM'. */
  month: string;
  /** Day of the day view; also the date a new event starts with. */
  day: string;
  draft: EventDraft | null;
  dialog: CalendarDialog | null;
  events: CalEvent[];
  /** Ids of deleted events: deleting cannot be undone. */
  deleted: string[];
  nextId: number;
}

export interface CalendarOptions {
  /** Events to add, with ids e1, e2, ... (titles the filler never uses keep them unique). */
  extra?: { title: string; date: string; time: string; color?: ColorName }[];
  /** Filler events (default 22). */
  filler?: number;
}

export const TODAY = '2025-06-11';
export const HOURS = ['08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19'];
export const MINUTES = ['00', '15', '30', '45'];
export const EVENT_COLORS: ColorName[] = ['blue', 'green', 'orange', 'purple', 'red', 'teal'];
const FILLER_TITLES = [
  'Standup',
  'Lunch',
  'Gym',
  'Haircut',
  'Book club',
  'Team sync',
  'Dentist',
  'Coffee chat',
  'Review',
  'Groceries',
  'Call mom',
  'Swim',
  'Car service',
  'Movie night',
  'Planning',
  'Run',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const NEW_TIME = '09:00';

// --- Dates as 'YYYY-MM-DD' strings (UTC arithmetic, so no time zone can shift a day). -------

function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 0 = Sunday. */
function weekday(date: string): number {
  const [y, m, d] = ymd(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}`;
}

function shiftDay(date: string, by: number): string {
  const [y, m, d] = ymd(date);
  const t = new Date(Date.UTC(y, m - 1, d + by));
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

export function dateIn(month: string, day: number): string {
  return `${month}-${pad2(day)}`;
}

/** 'June 14', as instructions say it. */
export function spokenDate(date: string): string {
  const [, m, d] = ymd(date);
  return `${MONTHS[m - 1]} ${d}`;
}

/** 'Sat, Jun 14', as the screens show it. */
export function shortDate(date: string): string {
  const [, m, d] = ymd(date);
  return `${WEEKDAYS[weekday(date)]}, ${MONTHS[m - 1].slice(0, 3)} ${d}`;
}

function monthTitle(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

function byTime(a: CalEvent, b: CalEvent): number {
  return a.date === b.date ? a.time.localeCompare(b.time) : a.date.localeCompare(b.date);
}

/** Day cells of a month, Monday first, as [date, column, row]. */
function monthCells(month: string): [string, number, number][] {
  const first = (weekday(dateIn(month, 1)) + 6) % 7;
  const cells: [string, number, number][] = [];
  for (let d = 1; d <= daysInMonth(month); d++) {
    const i = first + d - 1;
    cells.push([dateIn(month, d), i % 7, Math.floor(i / 7)]);
  }
  return cells;
}

const WEEK_HEAD = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

/** A month grid of day buttons (key prefix 'day:' or 'pick:') into a column. */
function grid(
  col: Column,
  month: string,
  prefix: string,
  cellW: number,
  cellH: number,
  mark: (date: string) => ColorName | undefined,
  dots?: (date: string) => ColorName | undefined,
): void {
  const x0 = col.pad + Math.floor((col.inner - 7 * cellW) / 2);
  WEEK_HEAD.forEach((h, i) =>
    col.nodes.push({
      key: `head:${i}`,
      role: 'text',
      text: h,
      muted: true,
      box: { x: x0 + i * cellW + Math.floor((cellW - 11) / 2), y: col.y, w: 11, h: 9 },
    }),
  );
  col.y += 10;
  let rows = 0;
  for (const [date, c, r] of monthCells(month)) {
    const x = x0 + c * cellW;
    const y = col.y + r * cellH;
    const day = String(Number(date.slice(8)));
    const color = mark(date);
    col.nodes.push({
      key: `${prefix}:${date}`,
      role: 'button',
      tone: 'plain',
      text: day,
      context: shortDate(date),
      // In the date picker a day only fills in the form.
      ...(prefix === 'pick' ? { edits: true } : {}),
      ...(color ? { color } : {}),
      box: { x, y, w: cellW - 1, h: cellH - 1 },
    });
    const dot = dots?.(date);
    if (dot)
      col.nodes.push({
        key: `dot:${date}`,
        role: 'panel',
        color: dot,
        box: { x: x + Math.floor(cellW / 2) - 3, y: y + cellH - 4, w: 5, h: 2 },
      });
    rows = Math.max(rows, r + 1);
  }
  col.y += rows * cellH + 2;
}

/** Row of prev / title / next (month or day navigation). */
function stepper(col: Column, prevKey: string, title: string, nextKey: string, what: string): void {
  const y = col.y;
  const w = col.inner + 2 * col.pad;
  col.nodes.push(
    iconButton(prevKey, 'back', col.pad, y, { text: `Previous ${what}` }),
    {
      key: 'stepper:title',
      role: 'text',
      text: title,
      box: { x: Math.floor((w - (title.length * 6 - 1)) / 2), y: y + 2, w: title.length * 6, h: 9 },
    },
    iconButton(nextKey, 'chevron', w - col.pad - 11, y, { text: `Next ${what}` }),
  );
  col.y += 14;
}

function eventLabel(e: CalEvent): string {
  return `${e.time}  ${e.title}`;
}

function fillerEvents(rng: Rng, n: number): Omit<CalEvent, 'id'>[] {
  const out: Omit<CalEvent, 'id'>[] = [];
  for (let i = 0; i < n; i++) {
    // Mostly this month and next, a few around today.
    const month = rng.chance(0.65) ? TODAY.slice(0, 7) : shiftMonth(TODAY, 1);
    out.push({
      title: rng.pick(FILLER_TITLES),
      date: dateIn(month, rng.int(1, daysInMonth(month))),
      time: `${rng.pick(HOURS)}:${rng.pick(MINUTES)}`,
      color: rng.pick(EVENT_COLORS),
    });
  }
  return out;
}

function editing(s: CalendarState, draft: EventDraft): CalendarState {
  return { ...s, page: 'edit', draft, dialog: null };
}

export default defineApp<CalendarState>({
  name: 'calendar',
  label: 'Calendar',
  icon: 'calendar',
  color: 'red',
  platforms: ['mobile'],
  ui: ['page', 'month', 'day', 'draft', 'dialog'],
  init(rng, options) {
    const o = (options ?? {}) as CalendarOptions;
    const list: Omit<CalEvent, 'id'>[] = (o.extra ?? []).map((e) => ({
      color: rng.pick(EVENT_COLORS),
      ...e,
    }));
    list.push(...fillerEvents(rng, o.filler ?? 22));
    return {
      page: 'month',
      month: TODAY.slice(0, 7),
      day: TODAY,
      draft: null,
      dialog: null,
      events: list.map((e, i) => ({ ...e, id: `e${i + 1}` })),
      deleted: [],
      nextId: list.length + 1,
    };
  },
  view(s, ctx) {
    const W = ctx.width;
    const sorted = [...s.events].sort(byTime);
    const newButton: UiNode[] = [
      {
        key: 'new',
        role: 'button',
        text: 'New event',
        icon: 'plus',
        tone: 'primary',
        box: { x: W - 72, y: 3, w: 68, h: 12 },
      },
    ];
    if (s.page === 'month' || s.page === 'agenda') {
      const tabs = new Column(W, 1);
      tabs.tabs('tab', ['Month', 'Agenda'], s.page === 'month' ? 'Month' : 'Agenda');
      const col = new Column(W, 2);
      if (s.page === 'month') {
        stepper(col, 'month:prev', monthTitle(s.month), 'month:next', 'month');
        const first = (d: string) => sorted.find((e) => e.date === d)?.color;
        grid(col, s.month, 'day', 21, 18, (d) => (d === TODAY ? 'blue' : undefined), first);
        col.gap(2).text('upnext', 'Coming up', { muted: true });
        for (const e of sorted.filter((x) => x.date >= TODAY).slice(0, 3))
          col.item(`event:${e.id}`, `${shortDate(e.date).slice(5)} ${e.time} ${e.title}`, {
            color: e.color,
            context: `${e.title} on ${shortDate(e.date)}`,
          });
      } else {
        let last = '';
        for (const e of sorted) {
          if (e.date !== last) {
            col.gap(2).text(`date:${e.date}`, shortDate(e.date), { muted: true });
            last = e.date;
          }
          col.item(`event:${e.id}`, eventLabel(e), {
            color: e.color,
            context: `${e.title} on ${shortDate(e.date)}`,
          });
        }
      }
      return {
        screen: s.page === 'month' ? `month:${s.month}` : 'agenda',
        title: 'Calendar',
        bar: tabs.nodes,
        barHeight: 16,
        body: col.nodes,
        bottom: newButton,
        bottomHeight: 18,
      };
    }
    if (s.page === 'day') {
      const bar = new Column(W, 1);
      stepper(bar, 'prevday', shortDate(s.day), 'nextday', 'day');
      const col = new Column(W, 2);
      const today = sorted.filter((e) => e.date === s.day);
      if (!today.length) col.text('empty', 'No events', { muted: true });
      for (const e of today)
        col.item(`event:${e.id}`, eventLabel(e), { color: e.color, context: e.title });
      return {
        screen: `day:${s.day}`,
        title: 'Calendar',
        bar: bar.nodes,
        barHeight: 15,
        body: col.nodes,
        bottom: newButton,
        bottomHeight: 18,
      };
    }
    const d = s.draft ?? { id: null, title: '', date: s.day, time: NEW_TIME };
    const col = new Column(W, 2);
    col.field('field:title', 'Title', d.title);
    col.gap(2).text('date:label', 'Date', { muted: true });
    col.button('date', shortDate(d.date), { tone: 'plain', icon: 'calendar' });
    col.gap(2).text('time:label', 'Time', { muted: true });
    col.button('time', d.time, { tone: 'plain', icon: 'clock' });
    col
      .gap(6)
      .buttons([
        { key: 'save', text: 'Save' },
        ...(d.id ? [{ key: 'delete', text: 'Delete', tone: 'danger' as const }] : []),
      ]);
    const view = {
      screen: 'edit',
      title: d.id ? 'Edit event' : 'New event',
      body: col.nodes,
    };
    const dlg = s.dialog;
    if (!dlg) return view;
    if (dlg.kind === 'date') {
      return {
        ...view,
        dialog: dialog('dialog:date', 'Pick a date', W, ctx.height, (c) => {
          stepper(c, 'picker:prev', monthTitle(dlg.month), 'picker:next', 'month');
          grid(c, dlg.month, 'pick', 18, 13, (x) => (x === d.date ? 'blue' : undefined));
          c.buttons([{ key: 'dialog:close', text: 'Cancel', tone: 'plain' }]);
        }),
      };
    }
    if (dlg.kind === 'time') {
      return {
        ...view,
        dialog: dialog('dialog:time', 'Pick a time', W, ctx.height, (c) => {
          const chips = (prefix: string, labels: string[], w: number, on: string) => {
            labels.forEach((l, i) =>
              c.nodes.push({
                key: `${prefix}:${l}`,
                role: 'button',
                tone: 'plain',
                text: prefix === 'minute' ? `:${l}` : l,
                edits: true,
                ...(l === on ? { color: 'blue' as const } : {}),
                box: { x: c.pad + i * (w + 2), y: c.y, w, h: 12 },
              }),
            );
            c.y += 14;
          };
          c.text('hour:label', 'Hour', { muted: true });
          chips('hour', HOURS.slice(0, 6), 20, d.time.slice(0, 2));
          chips('hour', HOURS.slice(6), 20, d.time.slice(0, 2));
          c.text('minute:label', 'Minute', { muted: true });
          chips('minute', MINUTES, 30, d.time.slice(3));
          c.gap(2).buttons([{ key: 'dialog:close', text: 'Done', tone: 'plain' }]);
        }),
      };
    }
    return {
      ...view,
      dialog: dialog('dialog:delete', 'Delete event?', W, ctx.height, (c) => {
        c.text('what', d.title, { muted: true });
        c.text('warn', 'It cannot be undone.', { muted: true });
        c.gap(2).buttons([
          { key: 'confirm:cancel', text: 'Cancel', tone: 'plain' },
          { key: 'confirm:delete', text: 'Delete', tone: 'danger' },
        ]);
      }),
    };
  },
  on(s, ev) {
    const key = ev.key;
    const d = s.draft;
    if (ev.kind === 'type') {
      if (key === 'field:title' && d) return { ...s, draft: { ...d, title: ev.text.slice(0, 30) } };
      return s;
    }
    if (ev.kind !== 'click') return s;
    if (key === 'tab:Month') return { ...s, page: 'month' };
    if (key === 'tab:Agenda') return { ...s, page: 'agenda' };
    if (key === 'month:prev' || key === 'month:next')
      return { ...s, month: shiftMonth(s.month, key === 'month:prev' ? -1 : 1) };
    if (key === 'prevday' || key === 'nextday')
      return { ...s, day: shiftDay(s.day, key === 'prevday' ? -1 : 1) };
    if (key.startsWith('day:')) return { ...s, page: 'day', day: key.slice(4) };
    if (key === 'new') return editing(s, { id: null, title: '', date: s.day, time: NEW_TIME });
    if (key.startsWith('event:')) {
      const e = s.events.find((x) => x.id === key.slice(6));
      if (!e) return s;
      return editing(s, { id: e.id, title: e.title, date: e.date, time: e.time });
    }
    if (key === 'dialog:close' || key === 'confirm:cancel') return { ...s, dialog: null };
    if (!d) return s;
    if (key === 'date') return { ...s, dialog: { kind: 'date', month: d.date.slice(0, 7) } };
    if ((key === 'picker:prev' || key === 'picker:next') && s.dialog?.kind === 'date') {
      const month = shiftMonth(s.dialog.month, key === 'picker:prev' ? -1 : 1);
      return { ...s, dialog: { kind: 'date', month } };
    }
    if (key.startsWith('pick:')) return { ...s, draft: { ...d, date: key.slice(5) }, dialog: null };
    if (key === 'time') return { ...s, dialog: { kind: 'time' } };
    if (key.startsWith('hour:'))
      return { ...s, draft: { ...d, time: key.slice(5) + d.time.slice(2) } };
    // Picking the minutes completes the time, so the picker closes.
    if (key.startsWith('minute:'))
      return { ...s, draft: { ...d, time: `${d.time.slice(0, 2)}:${key.slice(7)}` }, dialog: null };
    if (key === 'save') {
      const title = d.title.trim();
      if (!title) return fail(s, 'the event needs a title');
      const after = {
        ...s,
        page: 'day' as const,
        day: d.date,
        month: d.date.slice(0, 7),
        draft: null,
      };
      if (d.id === null) {
        const id = `e${s.nextId}`;
        const color = EVENT_COLORS[s.nextId % EVENT_COLORS.length];
        const e: CalEvent = { id, title, date: d.date, time: d.time, color };
        return { ...after, events: [...s.events, e], nextId: s.nextId + 1 };
      }
      const events = s.events.map((e) =>
        e.id === d.id ? { ...e, title, date: d.date, time: d.time } : e,
      );
      return { ...after, events };
    }
    if (key === 'delete' && d.id) return { ...s, dialog: { kind: 'delete' } };
    if (key === 'confirm:delete' && d.id) {
      return {
        ...s,
        events: s.events.filter((e) => e.id !== d.id),
        deleted: [...s.deleted, d.id],
        page: 'day',
        draft: null,
        dialog: null,
      };
    }
    return s;
  },
  back(s) {
    if (s.dialog) return { ...s, dialog: null };
    if (s.page === 'edit') return { ...s, page: 'day', draft: null };
    if (s.page === 'day') return { ...s, page: 'month', month: s.day.slice(0, 7) };
    if (s.page === 'agenda') return { ...s, page: 'month' };
    return undefined;
  },
});
