import MiniSearch, { type AsPlainObject, type BM25Params } from "minisearch";

export type { BM25Params };

/** A query term (already tokenized like the documents) and how much it counts. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface SearchHit {
  id: number;
  score: number;
  /** Query terms that matched. */
  terms: string[];
}

export interface FieldSpec {
  fields: readonly string[];
  boosts: Readonly<Record<string, number>>;
}

type Doc = { id: number } & Record<string, string | number>;

const splitOnSpace = (text: string): string[] => text.split(" ");
const identity = (term: string): string => term;

/**
 * BM25 (minisearch's BM25+) over documents whose fields are already term lists (our code-aware
 * tokenizer runs once per file). Documents are counted here and handed to minisearch as its own
 * serialized state (`loadJS`), which is several times faster than `add()` per term occurrence and
 * gives the same index: document frequencies, term frequencies, field lengths (minisearch counts a
 * field's length in distinct terms) and average lengths.
 */
export class Bm25Index {
  readonly spec: FieldSpec;
  private readonly engine: MiniSearch<Doc>;
  private readonly state: AsPlainObject;

  private constructor(spec: FieldSpec, state: AsPlainObject) {
    this.spec = spec;
    this.state = state;
    this.engine = MiniSearch.loadJS<Doc>(state, options(spec));
  }

  static load(spec: FieldSpec, state: AsPlainObject): Bm25Index {
    return new Bm25Index(spec, state);
  }

  get size(): number {
    return this.engine.documentCount;
  }

  /** `bm25`: k, b and d of BM25+ (minisearch's defaults: 1.2, 0.7, 0.5). */
  search(
    terms: readonly WeightedTerm[],
    filter?: (id: number) => boolean,
    bm25?: BM25Params,
    boosts?: Readonly<Record<string, number>>,
  ): SearchHit[] {
    const weights = new Map<string, number>();
    for (const { term, weight } of terms) {
      if (term && !term.includes(" ")) weights.set(term, (weights.get(term) ?? 0) + weight);
    }
    if (weights.size === 0 || this.size === 0) return [];
    const results = this.engine.search([...weights.keys()].join(" "), {
      boost: { ...(boosts ?? this.spec.boosts) },
      boostTerm: (term) => weights.get(term) ?? 1,
      prefix: false,
      fuzzy: false,
      combineWith: "OR",
      ...(bm25 ? { bm25 } : {}),
      ...(filter ? { filter: (result) => filter(Number(result.id)) } : {}),
    });
    return results.map((result) => ({
      id: Number(result.id),
      score: result.score,
      terms: result.queryTerms,
    }));
  }

  /** The state to cache; `load` takes it back. */
  toJSON(): AsPlainObject {
    return this.state;
  }
}

/** Collects documents (ids 0, 1, 2, … in order) and produces a Bm25Index. */
export class Bm25Builder {
  readonly spec: FieldSpec;
  /** term → per field, flat [docId, frequency, docId, frequency, …] */
  private readonly postings = new Map<string, number[][]>();
  private readonly fieldLength: Record<number, number[]> = {};
  private readonly lengthSums: number[];
  private count = 0;
  private readonly vocabulary: ReadonlySet<string> | undefined;

  /**
   * `vocabulary`: keep postings only for these terms (field lengths still count every term). Scores for
   * queries within the vocabulary are exactly those of the full index, at a fraction of the cost.
   */
  constructor(spec: FieldSpec, vocabulary?: ReadonlySet<string>) {
    this.spec = spec;
    this.lengthSums = spec.fields.map(() => 0);
    this.vocabulary = vocabulary;
  }

  /** Adds the next document, each field a term list or term counts; returns its id. */
  add(fields: Readonly<Record<string, readonly string[] | ReadonlyMap<string, number>>>): number {
    const id = this.count++;
    const lengths: number[] = [];
    const fieldCount = this.spec.fields.length;
    this.spec.fields.forEach((field, fieldId) => {
      const counts = toCounts(fields[field]);
      lengths.push(counts.size);
      this.lengthSums[fieldId] = (this.lengthSums[fieldId] ?? 0) + counts.size;
      for (const [term, frequency] of counts) {
        if (this.vocabulary && !this.vocabulary.has(term)) continue;
        let byField = this.postings.get(term);
        if (!byField) {
          byField = Array.from({ length: fieldCount }, () => []);
          this.postings.set(term, byField);
        }
        byField[fieldId]?.push(id, frequency);
      }
    });
    this.fieldLength[id] = lengths;
    return id;
  }

  build(): Bm25Index {
    const documentIds: Record<number, number> = {};
    for (let id = 0; id < this.count; id++) documentIds[id] = id;
    const index: AsPlainObject["index"] = [];
    for (const [term, byField] of this.postings) {
      const entry: Record<string, Record<string, number>> = {};
      byField.forEach((pairs, fieldId) => {
        if (pairs.length === 0) return;
        const frequencies: Record<string, number> = {};
        for (let i = 0; i < pairs.length; i += 2) frequencies[pairs[i] as number] = pairs[i + 1] as number;
        entry[fieldId] = frequencies;
      });
      index.push([term, entry]);
    }
    const state: AsPlainObject = {
      documentCount: this.count,
      nextId: this.count,
      documentIds,
      fieldIds: Object.fromEntries(this.spec.fields.map((field, fieldId) => [field, fieldId])),
      fieldLength: this.fieldLength,
      averageFieldLength: this.lengthSums.map((sum) => (this.count === 0 ? 0 : sum / this.count)),
      storedFields: {},
      dirtCount: 0,
      index,
      serializationVersion: 2,
    };
    return Bm25Index.load(this.spec, state);
  }
}

function toCounts(
  value: readonly string[] | ReadonlyMap<string, number> | undefined,
): ReadonlyMap<string, number> {
  if (value === undefined) return new Map();
  if (!Array.isArray(value)) return value as ReadonlyMap<string, number>;
  const counts = new Map<string, number>();
  for (const term of value) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

function options(spec: FieldSpec) {
  return { fields: [...spec.fields], tokenize: splitOnSpace, processTerm: identity, idField: "id" };
}
