// The `numeric` operator: `["=", x]`, a single bound (`[">", x]`, `["<=", y]`...) or a range whose
// lower bound (`>` / `>=`) comes first and upper bound (`<` / `<=`) second, as AWS's rule compiler
// requires. It applies to JSON numbers only; a numeric string never matches.

/** AWS limits numeric matching to this magnitude (the EventBridge content-filtering docs). */
const NUMERIC_LIMIT = 5.0e9;

/** Compiles a numeric expression; throws an Error whose message is the AWS reason. */
export function compileNumericRange(terms: unknown[]): (value: number) => boolean {
  const [operator, operand] = readTerm(terms, 0, 'Invalid member in numeric match');
  if (operator === '=') {
    expectEnd(terms, 2, 'Too many elements in numeric expression');
    return (value) => value === operand;
  }
  if (operator === '<' || operator === '<=') {
    expectEnd(terms, 2, 'Too many elements in numeric expression');
    return upperBound(operator, operand);
  }
  if (operator !== '>' && operator !== '>=')
    throw new Error(`Unrecognized numeric range operator: ${operator}`);
  const lower = lowerBound(operator, operand);
  if (terms.length === 2) return lower;

  const [upperOperator, upperOperand] = readTerm(terms, 2, 'Bad value in numeric range');
  if (upperOperator !== '<' && upperOperator !== '<=') {
    throw new Error(`Bad numeric range operator: ${upperOperator}`);
  }
  expectEnd(terms, 4, 'Too many terms in numeric range expression');
  if (!(operand < upperOperand)) throw new Error('Bottom must be less than top');
  const upper = upperBound(upperOperator, upperOperand);
  return (value) => lower(value) && upper(value);
}

function readTerm(terms: unknown[], index: number, badOperatorMessage: string): [string, number] {
  const operator = terms[index];
  if (typeof operator !== 'string') throw new Error(`${badOperatorMessage}: ${JSON.stringify(operator)}`);
  const operand = terms[index + 1];
  if (typeof operand !== 'number') throw new Error(`Value of ${operator} must be numeric`);
  if (Math.abs(operand) > NUMERIC_LIMIT) throw new Error('Value must be between -5.0E9 and 5.0E9, inclusive');
  return [operator, operand];
}

function expectEnd(terms: unknown[], length: number, message: string): void {
  if (terms.length !== length) throw new Error(message);
}

function lowerBound(operator: '>' | '>=', bound: number): (value: number) => boolean {
  return operator === '>' ? (value) => value > bound : (value) => value >= bound;
}

function upperBound(operator: '<' | '<=', bound: number): (value: number) => boolean {
  return operator === '<' ? (value) => value < bound : (value) => value <= bound;
}
