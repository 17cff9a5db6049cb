import type { JsonObject, LosslessNumber } from './json';
import type { Page } from './models';

/** Fetches one page; the pager passes the page number and the page size to ask for. */
export type PageFetcher<T> = (
  pageNumber: number,
  pageSize: number,
  signal?: AbortSignal,
) => Promise<Page<T>>;

/** The result of one call of `Pager.loadNext`. */
export interface PageResult<T> {
  /** Records that were not loaded before, in server order. */
  added: T[];
  /** Records on the page that an earlier page already had; they are dropped. */
  duplicates: number;
  /** No further page exists. */
  done: boolean;
}

/**
 * Loads a list one page at a time and keeps each record once. It follows the page size the
 * server actually used. It stops at `pagesCount`, at an empty page, at a page whose
 * `currentPage` differs from the one requested, and at a page that only repeats records
 * already loaded, so a server that misbehaves cannot make it loop.
 */
export class Pager<T extends JsonObject & { id: LosslessNumber }> {
  private readonly byId = new Map<string, T>();
  private pagesLoaded = 0;
  private effectivePageSize: number;
  private firstTotal: number | undefined;
  private latestTotal: number | undefined;
  private finished = false;
  private listChanged = false;
  private pending: Promise<PageResult<T>> | undefined;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    pageSize: number,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(
        `Invalid page size ${pageSize}: it must be a whole number of at least 1.`,
      );
    }
    this.effectivePageSize = pageSize;
  }

  /** Loaded records in the order they arrived, each once. */
  get items(): T[] {
    return [...this.byId.values()];
  }
  get loadedCount(): number {
    return this.byId.size;
  }
  /** The server's `totalItemsCount` from the latest page, when it sent one. */
  get total(): number | undefined {
    return this.latestTotal;
  }
  get done(): boolean {
    return this.finished;
  }
  get loading(): boolean {
    return this.pending !== undefined;
  }
  /**
   * The list changed on the server while it was being paged: the total moved, or a page
   * repeated records of an earlier one. Records may then have been skipped, so a refresh
   * is the way to see all of them.
   */
  get changed(): boolean {
    return this.listChanged;
  }
  get pageSize(): number {
    return this.effectivePageSize;
  }
  has(id: string): boolean {
    return this.byId.has(id);
  }
  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Replaces a loaded record in place, for example after a save. */
  replace(record: T): void {
    const id = record.id.value;
    if (this.byId.has(id)) this.byId.set(id, record);
  }
  /** Drops a loaded record, for example after a delete, and counts it out of the total. */
  remove(id: string): void {
    if (this.byId.delete(id) && this.latestTotal !== undefined && this.latestTotal > 0) {
      this.latestTotal--;
      if (this.firstTotal !== undefined) this.firstTotal--;
    }
  }

  /**
   * Adds a record created meanwhile (by this client) and counts it into the total, so a later
   * page that lists it does not add it twice and the count of records stays right.
   */
  insert(record: T): void {
    const id = record.id.value;
    if (this.byId.has(id)) return;
    this.byId.set(id, record);
    if (this.latestTotal !== undefined) {
      this.latestTotal++;
      if (this.firstTotal !== undefined) this.firstTotal++;
    }
  }

  /**
   * Loads the next page. While a load is under way, a second call returns the same promise,
   * so a double click sends one request. A failed load changes nothing and can be repeated.
   */
  loadNext(signal?: AbortSignal): Promise<PageResult<T>> {
    if (this.finished) return Promise.resolve({ added: [], duplicates: 0, done: true });
    if (!this.pending) {
      this.pending = this.fetchNext(signal).finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async fetchNext(signal?: AbortSignal): Promise<PageResult<T>> {
    const pageNumber = this.pagesLoaded + 1;
    const page = await this.fetchPage(pageNumber, this.effectivePageSize, signal);
    this.pagesLoaded = pageNumber;

    if (page.pageSize > 0 && page.pageSize !== this.effectivePageSize) {
      // The server capped or ignored the page size; later page numbers count in its size.
      this.effectivePageSize = page.pageSize;
    }
    if (page.totalItemsCount >= 0) {
      this.firstTotal ??= page.totalItemsCount;
      if (page.totalItemsCount !== this.firstTotal) this.listChanged = true;
      this.latestTotal = page.totalItemsCount;
    }

    const added: T[] = [];
    let duplicates = 0;
    for (const item of page.items) {
      const id = item.id.value;
      if (this.byId.has(id)) {
        duplicates++;
        continue;
      }
      this.byId.set(id, item);
      added.push(item);
    }

    const repeated = page.items.length > 0 && added.length === 0;
    if (duplicates > 0 && !repeated) this.listChanged = true;
    const wrongPage = page.currentPage > 0 && page.currentPage !== pageNumber;
    const lastByCount =
      page.pagesCount > 0
        ? pageNumber >= page.pagesCount
        : page.items.length < this.effectivePageSize;
    this.finished = page.items.length === 0 || repeated || wrongPage || lastByCount;
    return { added, duplicates, done: this.finished };
  }
}
