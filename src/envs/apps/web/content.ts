// What the sites' servers hold: the records of each site, apart from the pages that show them,
// so the browser state (site.ts) and the sites (travel, library, intranet) share one definition.

// --- SkyFare (travel.ts) ---
export interface Flight {
  id: string;
  from: string;
  to: string;
  date: string;
  /** 'HH:MM', so string order is time order. */
  time: string;
  stops: number;
  price: number;
}

export interface Booking {
  code: string;
  flight: Flight;
  name: string;
  cls: string;
  cancelled: boolean;
}

// --- City library (library.ts) ---
export interface Book {
  id: string;
  title: string;
  author: string;
  year: number;
  genre: string;
  available: number;
}

export interface Loan {
  book: string;
  /** Day of June the book is due. */
  due: number;
  renewed: boolean;
}

// --- Intranet (intranet.ts) ---
export interface Post {
  author: string;
  text: string;
}

export interface Topic {
  id: string;
  title: string;
  category: string;
  posts: Post[];
}

export interface Staff {
  name: string;
  dept: string;
  ext: string;
}

export interface LeaveRequest {
  kind: string;
  from: number;
  to: number;
  reason: string;
  withdrawn: boolean;
}
