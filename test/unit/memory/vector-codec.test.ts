import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cosineToEncoded,
  decodeVector,
  encodedDimensions,
  encodedVectorBytes,
  encodeVector,
  preparedCosineToEncoded,
  prepareQuery,
  VECTOR_HEADER_BYTES,
} from '../../../functions/core/memory/vector-codec.ts';

// Seeded, so the measured figures below are reproducible.
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomUnitVector(random: () => number, dimensions: number): Float32Array {
  const values = new Float64Array(dimensions);
  let norm2 = 0;
  for (let i = 0; i < dimensions; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    values[i] = gaussian;
    norm2 += gaussian * gaussian;
  }
  const norm = Math.sqrt(norm2);
  return Float32Array.from(values, (value) => value / norm);
}

function exactCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let a2 = 0;
  let b2 = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    a2 += a[i]! * a[i]!;
    b2 += b[i]! * b[i]!;
  }
  return a2 === 0 || b2 === 0 ? 0 : dot / Math.sqrt(a2 * b2);
}

function norm(vector: ArrayLike<number>): number {
  let norm2 = 0;
  for (let i = 0; i < vector.length; i++) norm2 += vector[i]! * vector[i]!;
  return Math.sqrt(norm2);
}

function scaleOf(encoded: Uint8Array): number {
  return new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength).getFloat32(1, true);
}

/**
 * The header's bound for one vector: every component is off by at most scale/2, so the error vector
 * has |e| ≤ √D·scale/2 and any cosine moves by at most arcsin(|e| / |v|). A little slack for rounding.
 */
function cosineBound(vector: Float32Array, encoded: Uint8Array): number {
  const relative = (Math.sqrt(vector.length) * scaleOf(encoded)) / 2 / norm(vector);
  return Math.asin(Math.min(1, relative)) + 1e-9;
}

// Finite float32 values well inside the range where the float32 scale is a normal number.
const component = fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true });
const nonZeroVector = (minLength: number, maxLength: number) =>
  fc
    .array(component, { minLength, maxLength })
    .filter((values) => values.some((value) => Math.abs(value) > 1e-6))
    .map((values) => Float32Array.from(values));
const vectorPair = fc
  .integer({ min: 1, max: 64 })
  .chain((dimensions) =>
    fc.tuple(nonZeroVector(dimensions, dimensions), nonZeroVector(dimensions, dimensions)),
  );

describe('encodedVectorBytes', () => {
  it('is the 5-byte header plus one byte per dimension', () => {
    expect(VECTOR_HEADER_BYTES).toBe(5);
    expect(encodedVectorBytes(256)).toBe(261);
    expect(encodedVectorBytes(1024)).toBe(1029);
  });

  it('refuses non-positive or fractional dimension counts', () => {
    expect(() => encodedVectorBytes(0)).toThrow(RangeError);
    expect(() => encodedVectorBytes(-3)).toThrow(RangeError);
    expect(() => encodedVectorBytes(2.5)).toThrow(RangeError);
    expect(() => encodedVectorBytes(Number.NaN)).toThrow(RangeError);
  });
});

describe('encodeVector', () => {
  it('writes version 1, the float32 little-endian scale max|v|/127, then one int8 per value', () => {
    const encoded = encodeVector([0.3, -1, -0.7, 0]);
    expect(encoded.length).toBe(5 + 4);
    expect(encoded[0]).toBe(0x01);
    // fround(1/127) is 0x3c010204, written low byte first.
    expect([...encoded.subarray(1, 5)]).toEqual([0x04, 0x02, 0x01, 0x3c]);
    expect(scaleOf(encoded)).toBe(Math.fround(1 / 127));
    // round(0.3·127) = 38, -127 and round(-0.7·127) = -89 in two's complement, 0.
    expect([...encoded.subarray(5)]).toEqual([38, 0x81, 0xa7, 0]);
  });

  it('takes arrays of numbers and Float32Arrays alike', () => {
    const values = [0.1, -0.2, 0.3];
    expect(encodeVector(values)).toEqual(encodeVector(Float32Array.from(values)));
  });

  it('encodes the zero vector with scale 0, and decodes it back to zeros', () => {
    const encoded = encodeVector(new Float32Array(8));
    expect(encoded.length).toBe(13);
    expect(scaleOf(encoded)).toBe(0);
    expect([...encoded.subarray(5)]).toEqual(new Array(8).fill(0));
    expect([...decodeVector(encoded)]).toEqual(new Array(8).fill(0));
  });

  it('refuses an empty vector and non-finite values', () => {
    expect(() => encodeVector([])).toThrow(RangeError);
    expect(() => encodeVector([0.1, Number.NaN])).toThrow(/value 1 is not finite/);
    expect(() => encodeVector(Float32Array.from([Number.POSITIVE_INFINITY]))).toThrow(RangeError);
    expect(() => encodeVector([Number.NEGATIVE_INFINITY, 0])).toThrow(RangeError);
  });

  it('refuses magnitudes a float32 scale cannot carry', () => {
    expect(() => encodeVector([1e-40, 0])).toThrow(/float32 scale/);
    expect(() => encodeVector([1e300])).toThrow(/float32 scale/);
  });

  it('never writes -128 and uses ±127 for the largest magnitude (property)', () => {
    fc.assert(
      fc.property(nonZeroVector(1, 64), (vector) => {
        const ints = new Int8Array(encodeVector(vector).buffer, VECTOR_HEADER_BYTES);
        expect(ints.every((value) => value !== -128)).toBe(true);
        expect(Math.max(...ints.map(Math.abs))).toBe(127);
      }),
    );
  });
});

describe('decodeVector', () => {
  it('round-trips every component within scale/2 (property)', () => {
    fc.assert(
      fc.property(nonZeroVector(1, 128), (vector) => {
        const encoded = encodeVector(vector);
        const decoded = decodeVector(encoded);
        expect(decoded.length).toBe(vector.length);
        expect(encoded.length).toBe(VECTOR_HEADER_BYTES + vector.length);
        const scale = scaleOf(encoded);
        const maxAbs = Math.max(...vector.map(Math.abs));
        expect(scale).toBeCloseTo(maxAbs / 127, 6);
        for (let i = 0; i < vector.length; i++) {
          // scale/2 from rounding, plus the float32 rounding of int8·scale.
          const bound = scale / 2 + Math.abs(vector[i]!) * 2 ** -23;
          expect(Math.abs(decoded[i]! - vector[i]!)).toBeLessThanOrEqual(bound);
        }
      }),
    );
  });

  it('checks the expected dimension count, which is how truncation shows', () => {
    const encoded = encodeVector(randomUnitVector(mulberry32(1), 16));
    expect(decodeVector(encoded, 16)).toHaveLength(16);
    expect(() => decodeVector(encoded.subarray(0, encoded.length - 1), 16)).toThrow(
      /15 dimensions, expected 16/,
    );
  });

  it('refuses a truncated header, another format version and an invalid scale', () => {
    const encoded = encodeVector([0.6, 0.8]);
    expect(() => decodeVector(encoded.subarray(0, 5))).toThrow(/truncated/);
    expect(() => decodeVector(new Uint8Array(0))).toThrow(/truncated/);
    const otherVersion = encoded.slice();
    otherVersion[0] = 2;
    expect(() => decodeVector(otherVersion)).toThrow(/version 2/);
    const negativeScale = encoded.slice();
    new DataView(negativeScale.buffer).setFloat32(1, -0.5, true);
    expect(() => decodeVector(negativeScale)).toThrow(/invalid scale/);
    const nanScale = encoded.slice();
    new DataView(nanScale.buffer).setFloat32(1, Number.NaN, true);
    expect(() => decodeVector(nanScale)).toThrow(/invalid scale/);
    expect(() => cosineToEncoded(new Float32Array(2), nanScale)).toThrow(/invalid scale/);
  });
});

describe('encodedDimensions', () => {
  it('is the byte length minus the header, after checking the header', () => {
    expect(encodedDimensions(encodeVector(new Float32Array(256).fill(0.0625)))).toBe(256);
    expect(() => encodedDimensions(new Uint8Array([1, 0, 0, 0]))).toThrow(RangeError);
    expect(() => encodedDimensions(new Uint8Array([9, 0, 0, 0, 0, 1]))).toThrow(RangeError);
  });
});

describe('cosineToEncoded', () => {
  it('is the exact cosine within the documented bound (property)', () => {
    fc.assert(
      fc.property(vectorPair, ([query, stored]) => {
        const encoded = encodeVector(stored);
        const cosine = cosineToEncoded(query, encoded);
        expect(Math.abs(cosine - exactCosine(query, stored))).toBeLessThanOrEqual(
          cosineBound(stored, encoded),
        );
        expect(cosine).toBeGreaterThanOrEqual(-1);
        expect(cosine).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('matches the cosine with the decoded vector, so the scale really cancels out (property)', () => {
    fc.assert(
      fc.property(vectorPair, ([query, stored]) => {
        const encoded = encodeVector(stored);
        const cosine = cosineToEncoded(query, encoded);
        // Against int8·scale in float64, and against decodeVector's float32 rounding of it.
        const scale = scaleOf(encoded);
        const ints = new Int8Array(encoded.buffer, VECTOR_HEADER_BYTES);
        expect(cosine).toBeCloseTo(
          exactCosine(
            query,
            Float64Array.from(ints, (value) => value * scale),
          ),
          12,
        );
        expect(cosine).toBeCloseTo(exactCosine(query, decodeVector(encoded)), 6);
      }),
    );
  });

  it('does not depend on the query being normalized (property)', () => {
    fc.assert(
      fc.property(vectorPair, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), ([query, stored], factor) => {
        const encoded = encodeVector(stored);
        const scaled = query.map((value) => value * factor);
        expect(cosineToEncoded(scaled, encoded)).toBeCloseTo(cosineToEncoded(query, encoded), 6);
      }),
    );
  });

  it('stays within the measured error on seeded random unit vectors of 256 and 1 024 dimensions', () => {
    const random = mulberry32(20_240_607);
    // The header documents max 0.0018 (D = 256) and 0.00099 (D = 1 024) over 20 000 pairs.
    for (const [dimensions, measured] of [
      [256, 0.0018],
      [1024, 0.001],
    ] as const) {
      let worst = 0;
      for (let k = 0; k < 500; k++) {
        const stored = randomUnitVector(random, dimensions);
        const query = randomUnitVector(random, dimensions);
        worst = Math.max(
          worst,
          Math.abs(cosineToEncoded(query, encodeVector(stored)) - exactCosine(query, stored)),
        );
      }
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThanOrEqual(measured);
    }
  });

  it('is 1 for the vector itself and -1 for its opposite, up to quantization', () => {
    const vector = randomUnitVector(mulberry32(7), 256);
    const encoded = encodeVector(vector);
    expect(cosineToEncoded(vector, encoded)).toBeCloseTo(1, 3);
    expect(
      cosineToEncoded(
        vector.map((value) => -value),
        encoded,
      ),
    ).toBeCloseTo(-1, 3);
  });

  it('reads a Uint8Array view at a non-zero byteOffset inside a larger buffer', () => {
    const random = mulberry32(42);
    const stored = randomUnitVector(random, 64);
    const query = randomUnitVector(random, 64);
    const encoded = encodeVector(stored);
    // Like an SDK response: unrelated bytes on both sides of the attribute's value, odd offset.
    const response = new Uint8Array(3 + encoded.length + 11).fill(0x7f);
    response.set(encoded, 3);
    const view = response.subarray(3, 3 + encoded.length);
    expect(view.byteOffset).toBe(3);
    expect(view.buffer.byteLength).toBeGreaterThan(encoded.length);
    expect(cosineToEncoded(query, view)).toBe(cosineToEncoded(query, encoded));
    expect(preparedCosineToEncoded(prepareQuery(query), view)).toBeCloseTo(
      cosineToEncoded(query, encoded),
      12,
    );
    expect([...decodeVector(view)]).toEqual([...decodeVector(encoded)]);
    expect(encodedDimensions(view)).toBe(64);
  });

  it('is 0 when either side is the zero vector', () => {
    const stored = encodeVector([0.6, 0.8]);
    expect(cosineToEncoded(new Float32Array(2), stored)).toBe(0);
    expect(cosineToEncoded(Float32Array.from([0.6, 0.8]), encodeVector([0, 0]))).toBe(0);
    expect(preparedCosineToEncoded(prepareQuery([0, 0]), stored)).toBe(0);
  });

  it('refuses mismatched dimensions and non-finite queries', () => {
    const stored = encodeVector([0.6, 0.8]);
    expect(() => cosineToEncoded(new Float32Array(3), stored)).toThrow(/2 dimensions, expected 3/);
    expect(() => cosineToEncoded(Float32Array.from([Number.NaN, 1]), stored)).toThrow(/non-finite/);
    expect(() => cosineToEncoded(Float32Array.from([Number.POSITIVE_INFINITY, 1]), stored)).toThrow(
      RangeError,
    );
    expect(() => preparedCosineToEncoded(prepareQuery([1, 0, 0]), stored)).toThrow(
      /2 dimensions, expected 3/,
    );
  });
});

describe('prepareQuery', () => {
  it('gives the same cosine as the unprepared query (property)', () => {
    fc.assert(
      fc.property(vectorPair, ([query, stored]) => {
        const encoded = encodeVector(stored);
        const prepared = prepareQuery(query);
        expect(norm(prepared.unit)).toBeCloseTo(1, 12);
        expect(preparedCosineToEncoded(prepared, encoded)).toBeCloseTo(cosineToEncoded(query, encoded), 12);
      }),
    );
  });

  it('keeps the zero query at zero and refuses empty or non-finite queries', () => {
    expect([...prepareQuery([0, 0, 0]).unit]).toEqual([0, 0, 0]);
    expect(() => prepareQuery([])).toThrow(RangeError);
    expect(() => prepareQuery([1, Number.NaN])).toThrow(/value 1 is not finite/);
    expect(() => prepareQuery([1e200, 1e200])).toThrow(/overflows/);
  });
});
