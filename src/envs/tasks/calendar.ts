// Calendar tasks. The whole calendar app is held out ('held-out-apps'): no calendar template
// is trained on, so it measures transfer to an unseen app.
import type { Rng } from '../../rng';
import { answer, click, defineTask, sameAnswer, typeInto, visit, type Subgoal } from '../task';
import { appState } from '../world';
import {
  HOURS,
  MINUTES,
  TODAY,
  dateIn,
  daysInMonth,
  shiftMonth,
  spokenDate,
  type CalEvent,
  type CalendarState,
} from '../apps/calendar';
import type { WorldState } from '../types';

const C = (w: WorldState) => appState<CalendarState>(w, 'calendar');
const SUITE = 'mobile-online';
const SPLIT = 'held-out-apps';
/** Titles the calendar's filler never uses, so a task's event is unique. */
export const EVENT_TITLES = [
  'Piano lesson',
  'Vet visit',
  'Job interview',
  'Parents evening',
  'Tax advisor',
  'Boat trip',
  'Flu shot',
  'Wine tasting',
  'Yoga class',
  'Pottery class',
  'Farewell party',
  'Eye exam',
];

/** An event with this title, date and time exists. */
export function hasEvent(w: WorldState, title: string, date: string, time: string): boolean {
  return C(w).events.some((e) => e.title === title && e.date === date && e.time === time);
}

/** A day of this month after today, or of next month. */
export function futureDate(rng: Rng, nextMonth = false): string {
  const month = nextMonth ? shiftMonth(TODAY, 1) : TODAY.slice(0, 7);
  const from = nextMonth ? 1 : Number(TODAY.slice(8)) + 1;
  return dateIn(month, rng.int(from, daysInMonth(month)));
}

export function randomTime(rng: Rng): string {
  return `${rng.pick(HOURS)}:${rng.pick(MINUTES)}`;
}

function editingNew(w: WorldState): boolean {
  const s = C(w);
  return s.page === 'edit' && s.draft?.id === null;
}

function editingEvent(w: WorldState, id: string | undefined): boolean {
  const s = C(w);
  return !!id && s.page === 'edit' && s.draft?.id === id;
}

/**
 * Fill in and save a new event: the subgoals of every "create an event" task. Each field
 * also counts as done once the event exists, so later subgoals never send the oracle back.
 */
export function createEventPlan(p: { title: string; date: string; time: string }): Subgoal[] {
  const saved = (w: WorldState) => hasEvent(w, p.title, p.date, p.time);
  const draft = (w: WorldState) => (editingNew(w) ? C(w).draft : null);
  return [
    visit('new event', 'calendar', 'new', editingNew),
    typeInto(
      'title',
      'calendar',
      'field:title',
      p.title,
      (w) => saved(w) || draft(w)?.title === p.title,
      false,
    ),
    click('pick date', 'calendar', `pick:${p.date}`, (w) => saved(w) || draft(w)?.date === p.date),
    click(
      'pick hour',
      'calendar',
      `hour:${p.time.slice(0, 2)}`,
      (w) => saved(w) || draft(w)?.time.slice(0, 2) === p.time.slice(0, 2),
    ),
    click(
      'pick minutes',
      'calendar',
      `minute:${p.time.slice(3)}`,
      (w) => saved(w) || draft(w)?.time === p.time,
    ),
    click('save', 'calendar', 'save', saved),
  ];
}

/** The first event a task adds has the id e1 (see CalendarOptions.extra). */
const FIRST = 'e1';

export function eventById(w: WorldState, id: string): CalEvent | undefined {
  return C(w).events.find((e) => e.id === id);
}

/** Open an existing event's editor, wherever it is listed (a stepping stone). */
function openEvent(id: string): Subgoal {
  return visit('open event', 'calendar', `event:${id}`, (w) => editingEvent(w, id));
}

/** The editor's draft while it edits this event, else null. */
function draftOf(w: WorldState, id: string) {
  return editingEvent(w, id) ? C(w).draft : null;
}

/**
 * Edit an event to these fields and save: every field is a subgoal, so a detour that
 * changed another field (a wrong day picked) is repaired before saving.
 */
function editEventPlan(id: string, want: { title: string; date: string; time: string }): Subgoal[] {
  const saved = (w: WorldState) => {
    const e = eventById(w, id);
    return !!e && e.title === want.title && e.date === want.date && e.time === want.time;
  };
  const draft = (w: WorldState) => draftOf(w, id);
  return [
    openEvent(id),
    typeInto(
      'title',
      'calendar',
      'field:title',
      want.title,
      (w) => saved(w) || draft(w)?.title === want.title,
      false,
    ),
    click(
      'pick date',
      'calendar',
      `pick:${want.date}`,
      (w) => saved(w) || draft(w)?.date === want.date,
    ),
    click(
      'pick hour',
      'calendar',
      `hour:${want.time.slice(0, 2)}`,
      (w) => saved(w) || draft(w)?.time.slice(0, 2) === want.time.slice(0, 2),
    ),
    click(
      'pick minutes',
      'calendar',
      `minute:${want.time.slice(3)}`,
      (w) => saved(w) || draft(w)?.time === want.time,
    ),
    click('save', 'calendar', 'save', saved),
  ];
}

/** The task's event was deleted (and the goal not reached): it cannot come back. */
function lost(id: string) {
  return (w: WorldState) => C(w).deleted.includes(id);
}

type CreateParams = { title: string; date: string; time: string };

function createTemplate(id: string, nextMonth: boolean) {
  // "Add an event 'Vet visit' on June 24 at 15:30." (next month: the date picker must turn)
  return defineTask<CreateParams>({
    id,
    apps: ['calendar'],
    tags: {
      suite: SUITE,
      split: SPLIT,
      category: nextMonth ? 'target-off-screen' : 'form',
    },
    generate: (rng) => {
      const p = {
        title: rng.pick(EVENT_TITLES),
        date: futureDate(rng, nextMonth),
        time: randomTime(rng),
      };
      return {
        params: p,
        instruction: `Add an event '${p.title}' on ${spokenDate(p.date)} at ${p.time}.`,
      };
    },
    check: (w, p) => hasEvent(w, p.title, p.date, p.time),
    plan: createEventPlan,
  });
}

export default [
  createTemplate('calendar.create-event', false),
  createTemplate('calendar.create-event-next-month', true),

  // "Move 'Eye exam' on June 19 to 14:30."
  defineTask<{ title: string; date: string; time: string }>({
    id: 'calendar.reschedule',
    apps: ['calendar'],
    tags: { suite: SUITE, split: SPLIT, category: 'basic' },
    generate: (rng) => {
      const title = rng.pick(EVENT_TITLES);
      const date = futureDate(rng);
      const from = randomTime(rng);
      const hour = rng.pick(HOURS.filter((h) => h !== from.slice(0, 2)));
      const time = `${hour}:${rng.pick(MINUTES)}`;
      return {
        params: { title, date, time },
        instruction: `Move '${title}' on ${spokenDate(date)} to ${time}.`,
        apps: { calendar: { extra: [{ title, date, time: from }] } },
      };
    },
    check: (w, p) => {
      const e = eventById(w, FIRST);
      return !!e && e.title === p.title && e.date === p.date && e.time === p.time;
    },
    failed: lost(FIRST),
    plan: (p) => editEventPlan(FIRST, p),
  }),

  // "Rename the event 'Boat trip' on June 21 to 'Boat trip with Ana'."
  defineTask<{ title: string; date: string; time: string; to: string }>({
    id: 'calendar.rename',
    apps: ['calendar'],
    tags: { suite: SUITE, split: SPLIT, category: 'form' },
    generate: (rng) => {
      const title = rng.pick(EVENT_TITLES);
      const date = futureDate(rng, rng.chance(0.3));
      const time = randomTime(rng);
      const to = `${title} with ${rng.pick(['Ana', 'Ben', 'Kim', 'Raj', 'Eva'])}`;
      return {
        params: { title, date, time, to },
        instruction: `Rename the event '${title}' on ${spokenDate(date)} to '${to}'.`,
        apps: { calendar: { extra: [{ title, date, time }] } },
      };
    },
    check: (w, p) => {
      const e = eventById(w, FIRST);
      return !!e && e.title === p.to && e.date === p.date && e.time === p.time;
    },
    failed: lost(FIRST),
    plan: (p) => editEventPlan(FIRST, { ...p, title: p.to }),
  }),

  // "Delete the event 'Flu shot' on June 27." (the same title sits on another day; no undo)
  defineTask<{ title: string; date: string; other: string }>({
    id: 'calendar.delete-event',
    apps: ['calendar'],
    tags: { suite: SUITE, split: SPLIT, category: 'irreversible' },
    generate: (rng) => {
      const title = rng.pick(EVENT_TITLES);
      const date = futureDate(rng);
      const other = futureDate(rng, true);
      return {
        params: { title, date, other },
        instruction: `Delete the event '${title}' on ${spokenDate(date)}.`,
        apps: {
          calendar: {
            extra: [
              { title, date, time: randomTime(rng) },
              { title, date: other, time: randomTime(rng) },
            ],
          },
        },
      };
    },
    // The look-alike on the other day (e2) must survive: no other event may be deleted.
    check: (w) => C(w).deleted.length === 1 && C(w).deleted[0] === FIRST,
    failed: (w) => C(w).deleted.some((id) => id !== FIRST),
    plan: () => [
      openEvent(FIRST),
      visit(
        'delete',
        'calendar',
        'delete',
        (w) => editingEvent(w, FIRST) && C(w).dialog?.kind === 'delete',
      ),
      click('confirm', 'calendar', 'confirm:delete', lost(FIRST)),
    ],
  }),

  // "At what time is 'Tax advisor' on July 22? Answer like 09:30." (far down the agenda)
  defineTask<{ title: string; date: string; time: string }>({
    id: 'calendar.event-time',
    apps: ['calendar'],
    tags: { suite: SUITE, split: SPLIT, category: 'info' },
    generate: (rng) => {
      const p = {
        title: rng.pick(EVENT_TITLES),
        date: futureDate(rng, true),
        time: randomTime(rng),
      };
      return {
        params: p,
        instruction: `At what time is '${p.title}' on ${spokenDate(p.date)}? Answer like 09:30.`,
        apps: { calendar: { extra: [p] } },
      };
    },
    check: (w, p) => sameAnswer(w.answer, p.time),
    failed: (w, p) => lost(FIRST)(w) && !sameAnswer(w.answer, p.time),
    plan: (p) => [openEvent(FIRST), answer(p.time)],
  }),
];
