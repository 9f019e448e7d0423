// Acme intranet: a forum (topics sortable by replies, paged; a topic page with replies; a
// new-topic form with validation), a staff directory with search, and a leave request form
// whose requests can be withdrawn.
import type { Rng } from '../../../rng';
import { fail } from '../../app';
import { box } from '../../ui';
import {
  Page,
  PAGE_ROWS,
  fieldOf,
  go,
  makeUrl,
  pageOf,
  type BrowserState,
  type Site,
} from './site';
import type { LeaveRequest, Staff, Topic } from './content';

export const HOST = 'intra.acme.com';
export const CATEGORIES = ['IT', 'HR', 'Social', 'Facilities'];
export const LEAVE_KINDS = ['Annual', 'Sick', 'Unpaid'];
export const LEAVE_DAYS = [3, 4, 5, 6, 7, 10, 11, 12];
const ME = 'You';
const FIRST = [
  'Maria',
  'Omar',
  'Lena',
  'Kofi',
  'Aiko',
  'Pablo',
  'Nina',
  'Ravi',
  'Sara',
  'Tom',
  'Ines',
  'Yusuf',
];
const LAST = [
  'Lopez',
  'Haddad',
  'Berg',
  'Mensah',
  'Sato',
  'Ruiz',
  'Petrov',
  'Iyer',
  'Cohen',
  'Walsh',
];
const DEPTS = ['Sales', 'IT', 'HR', 'Finance', 'Legal'];
const SUBJECTS = [
  'Printer on 3rd floor',
  'VPN is slow',
  'Summer party',
  'New parking rules',
  'Laptop refresh',
  'Payroll dates',
  'Lunch club',
  'Desk booking',
  'Badge not working',
  'Coffee machine',
  'Book club',
  'Holiday calendar',
];

export function forumUrl(sort?: string, page?: number): string {
  return makeUrl(HOST, '/forum', { sort, page: page && page > 1 ? page : undefined });
}

export function topicUrl(id: string): string {
  return makeUrl(HOST, '/topic', { id });
}

export function dirUrl(q: string, page?: number): string {
  return makeUrl(HOST, '/directory', { q, page: page && page > 1 ? page : undefined });
}

export function staffMatches(b: BrowserState, q: string): Staff[] {
  const w = q.trim().toLowerCase();
  return b.intranet.staff.filter(
    (s) => !w || s.name.toLowerCase().includes(w) || s.dept.toLowerCase() === w,
  );
}

export const intranet: Site = {
  host: HOST,
  name: 'Acme intranet',
  color: 'purple',
  view(b, url, width) {
    const p = new Page(b, this, width, [
      ['Forum', forumUrl()],
      ['Directory', dirUrl('')],
      ['Leave', HOST + '/leave'],
    ]);
    const it = b.intranet;
    if (url.path === '/forum') {
      const sort = url.q.sort ?? 'title';
      const topics = [...it.topics].sort(
        (a, c) =>
          (sort === 'replies' ? c.posts.length - a.posts.length : a.title.localeCompare(c.title)) ||
          a.id.localeCompare(c.id),
      );
      p.heading('Forum');
      p.buttons([{ key: 'btn:newtopic', text: 'New topic' }]);
      p.header([
        ['Topic', 8, forumUrl('title')],
        ['Category', 150],
        ['Replies', 200, forumUrl('replies')],
      ]);
      const page = pageOf(url.q);
      for (const t of topics.slice((page - 1) * PAGE_ROWS, page * PAGE_ROWS)) {
        const y = p.row(`topic:${t.id}`, [
          [t.category, 150],
          [String(t.posts.length - 1), 212],
        ]);
        p.link(topicUrl(t.id), t.title.slice(0, 22), 8, y, t.title);
      }
      p.pager(page, topics.length, (n) => forumUrl(url.q.sort, n));
      return { title: 'Intranet - forum', body: p.nodes };
    }
    if (url.path === '/topic') {
      const t = it.topics.find((x) => x.id === url.q.id);
      if (!t) {
        p.text('nf', 'No such topic.', { color: 'red' });
        return { title: 'Intranet', body: p.nodes };
      }
      p.heading(`${t.title} [${t.category}]`);
      t.posts.forEach((post, i) => {
        p.text(`post:${i}:by`, `${post.author}:`, { muted: true });
        p.paragraph(`post:${i}`, post.text);
      });
      p.gap(3);
      p.errorsList();
      p.input('reply', 'Your reply');
      p.gap(2).button('btn:reply', 'Post reply');
      return { title: 'Intranet - topic', body: p.nodes };
    }
    if (url.path === '/new') {
      p.heading('New topic');
      p.errorsList();
      p.input('title', 'Title');
      p.select('cat', 'Category', CATEGORIES);
      p.input('body', 'Message');
      p.gap(2).button('btn:post', 'Post topic');
      return { title: 'Intranet - new topic', body: p.nodes };
    }
    if (url.path === '/directory') {
      const q = url.q.q ?? '';
      const hits = staffMatches(b, q);
      p.heading('Staff directory');
      p.input('who', 'Name or department');
      p.buttons([{ key: 'btn:find', text: 'Search' }]);
      p.header([
        ['Name', 8],
        ['Dept', 120],
        ['Ext.', 190],
      ]);
      const page = pageOf(url.q);
      for (const s of hits.slice((page - 1) * PAGE_ROWS, page * PAGE_ROWS))
        p.row(`staff:${s.name}`, [
          [s.name, 8],
          [s.dept, 120],
          [s.ext, 190],
        ]);
      p.pager(page, hits.length, (n) => dirUrl(q, n));
      return { title: 'Intranet - directory', body: p.nodes };
    }
    if (url.path === '/leave') {
      p.heading('Request leave (May)');
      p.errorsList();
      p.select('kind', 'Type', LEAVE_KINDS);
      p.select('from', 'From May', LEAVE_DAYS.map(String));
      p.select('to', 'To May', LEAVE_DAYS.map(String));
      p.input('reason', 'Reason (optional)');
      p.gap(2).button('btn:leave', 'Submit request');
      p.gap(4).heading('My requests');
      it.leave.forEach((r, i) => {
        const y = p.row(`req:${i}`, [[`${r.kind} May ${r.from}-${r.to}`, 8]]);
        if (r.withdrawn)
          p.nodes.push({
            key: `req:${i}:state`,
            role: 'text',
            text: 'withdrawn',
            muted: true,
            box: box(width - 64, y + 2, 56, 8),
          });
        else
          p.nodes.push({
            key: `btn:withdraw:${i}`,
            role: 'button',
            tone: 'plain',
            text: 'Withdraw',
            context: `${r.kind} May ${r.from}-${r.to}`,
            box: box(width - 58, y, 52, 11),
          });
      });
      if (!it.leave.length) p.text('noreq', 'No requests yet', { muted: true });
      return { title: 'Intranet - leave', body: p.nodes };
    }
    p.heading('Welcome to the Acme intranet');
    p.paragraph(
      'news',
      'News: the office is closed on May 29. Use the forum for questions and the directory to find colleagues.',
    );
    return { title: 'Intranet', body: p.nodes };
  },
  on(b, url, key) {
    const it = b.intranet;
    if (key === 'btn:newtopic') return go(b, HOST + '/new');
    if (key === 'btn:find') return go(b, dirUrl(fieldOf(b, 'who').trim()));
    if (key === 'btn:post') {
      const title = fieldOf(b, 'title').trim();
      const cat = fieldOf(b, 'cat');
      const body = fieldOf(b, 'body').trim();
      const errors = [
        title.length < 3 && 'Title needs 3+ letters.',
        !cat && 'Choose a category.',
        !body && 'Write a message.',
      ].filter((e): e is string => !!e);
      if (errors.length) return { ...b, errors };
      const topic: Topic = {
        id: `t${it.topics.length + 1}`,
        title,
        category: cat,
        posts: [{ author: ME, text: body }],
      };
      return go({ ...b, intranet: { ...it, topics: [...it.topics, topic] } }, topicUrl(topic.id));
    }
    if (key === 'btn:reply' && url.path === '/topic') {
      const t = it.topics.find((x) => x.id === url.q.id);
      const text = fieldOf(b, 'reply').trim();
      if (!t) return fail(b, 'no such topic');
      if (!text) return { ...b, errors: ['Write a reply first.'] };
      const topics = it.topics.map((x) =>
        x === t ? { ...x, posts: [...x.posts, { author: ME, text }] } : x,
      );
      return { ...b, form: {}, errors: [], intranet: { ...it, topics } };
    }
    if (key === 'btn:leave') {
      const kind = fieldOf(b, 'kind');
      const from = Number(fieldOf(b, 'from'));
      const to = Number(fieldOf(b, 'to'));
      const errors = [
        !kind && 'Choose a type.',
        (!from || !to) && 'Choose both days.',
        from && to && to < from && 'The last day is before the first.',
      ].filter((e): e is string => !!e);
      if (errors.length) return { ...b, errors };
      const req: LeaveRequest = {
        kind,
        from,
        to,
        reason: fieldOf(b, 'reason').trim(),
        withdrawn: false,
      };
      return { ...b, form: {}, errors: [], intranet: { ...it, leave: [...it.leave, req] } };
    }
    if (key.startsWith('btn:withdraw:')) {
      const i = Number(key.slice(13));
      if (!it.leave[i] || it.leave[i].withdrawn) return fail(b, 'nothing to withdraw');
      return {
        ...b,
        intranet: {
          ...it,
          leave: it.leave.map((r, j) => (j === i ? { ...r, withdrawn: true } : r)),
        },
      };
    }
    return b;
  },
};

export function initIntranet(
  rng: Rng,
  extraStaff: Staff[] = [],
  extraTopics: string[] = [],
): BrowserState['intranet'] {
  const names = new Set(extraStaff.map((s) => s.name));
  const staff = [...extraStaff];
  for (const name of rng.shuffle(FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`))).slice(0, 16)) {
    if (
      names.has(name) ||
      staff.some(
        (s) =>
          s.name.split(' ')[1] === name.split(' ')[1] &&
          s.name.split(' ')[0] === name.split(' ')[0],
      )
    )
      continue;
    staff.push({ name, dept: rng.pick(DEPTS), ext: String(rng.int(200, 899)) });
  }
  staff.sort((a, c) => a.name.localeCompare(c.name));
  const subjects = [
    ...extraTopics,
    ...rng.shuffle(SUBJECTS.filter((s) => !extraTopics.includes(s))).slice(0, 8),
  ];
  const topics: Topic[] = subjects.map((title, i) => ({
    id: `t${i + 1}`,
    title,
    category: rng.pick(CATEGORIES),
    posts: [...Array(rng.int(1, 5)).keys()].map((k) => ({
      author: rng.pick(FIRST),
      text: k ? 'Same here, thanks.' : `Anyone else seeing this: ${title.toLowerCase()}?`,
    })),
  }));
  return { topics, staff, leave: [] };
}
