/**
 * `npm run schema:print` runs this first: derives, for every mutation result union (`mutationResult(name,
 * ...)`), the typed errors its resolver can raise, and writes them to src/graphql/mutation-errors.generated.ts
 * (committed; test/schema-errors.test.ts fails when it is stale).
 *
 * Static analysis with the TypeScript compiler: from a field's `resolve`, every function, method, getter,
 * constructor or callback it references (inline or by name) that is declared in src/ is followed, and every
 * `new X(...)` of a DomainError subclass found on the way counts as raising X (so `ValidationError.fromZod`
 * raises ValidationError, `withPrismaErrors` ConflictError and NotFoundError). A member of a port (an
 * interface member without a body, e.g. PaymentProvider.createPayment) stands for every function-like member of
 * that name in src/infra/, where the adapters live. In the GraphQL layer a member call (`ctx.x.y()`) stands for
 * every member named `y` below it (typing `ctx` would make the checker infer the whole Pothos field). A
 * try/catch lets out only the caught errors its `throw e` statements can see past `instanceof` tests. A
 * thrown class becomes the union member plugin-errors returns for it: its nearest ancestor in
 * MUTATION_ERROR_TYPES (ForbiddenError and UnauthorizedError raised by a service are BusinessError, as before;
 * the scope-auth plugin's own failures happen outside the resolver and stay top-level errors).
 *
 * It over-approximates: every branch counts, `.catch()` handlers filter nothing, a caught error passed on
 * (`throw wrap(e)`) counts whole, and same-named members count together. It misses errors raised by library
 * code calling back into ours (none today); such an error is not lost but becomes a top-level error with
 * its code (yoga.ts maskError).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "..");
const srcDir = path.join(root, "src") + path.sep;
const infraDir = path.join(srcDir, "infra") + path.sep;
const graphqlDir = path.join(srcDir, "graphql") + path.sep;
const restDir = path.join(srcDir, "rest") + path.sep;
const generatedDir = path.join(srcDir, "generated") + path.sep;
const errorsModule = path.join(srcDir, "domain", "errors.ts");
const errorTypesModule = path.join(srcDir, "graphql", "types", "errors.ts");
export const GENERATED_FILE = path.join(srcDir, "graphql", "mutation-errors.generated.ts");

/** The union member a resolver that can raise nothing keeps, so its result stays a union. */
export const FALLBACK_ERROR = "BusinessError";

export type MutationErrors = Record<string, string[]>;

/** The TypeScript program of src/ (tsconfig.json's options). */
export function createSourceProgram(): ts.Program {
  const configPath = path.join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const rootNames = parsed.fileNames.filter((file) => path.resolve(file).startsWith(srcDir));
  return ts.createProgram({ rootNames, options: { ...parsed.options, noEmit: true } });
}

const isOwnFile = (file: ts.SourceFile) =>
  !file.isDeclarationFile && path.resolve(file.fileName).startsWith(srcDir) && !file.fileName.startsWith(generatedDir);

/** For each `<name>Result` union prefix, the sorted GraphQL names of the errors its resolver can raise. */
export function deriveMutationErrors(program: ts.Program = createSourceProgram()): MutationErrors {
  const checker = program.getTypeChecker();
  const file = (name: string) => {
    const found = program.getSourceFile(name);
    if (!found) throw new Error(`${path.relative(root, name)} is not part of the program.`);
    return found;
  };

  const resolveSymbol = (symbol: ts.Symbol | undefined): ts.Symbol | undefined =>
    symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const symbolAt = (node: ts.Node) => resolveSymbol(checker.getSymbolAtLocation(node));

  // The GraphQL name of each class a result union can hold (MUTATION_ERROR_TYPES in types/errors.ts).
  const typeNameOfClass = new Map<ts.Symbol, string>();
  ts.forEachChild(file(errorTypesModule), function visit(node) {
    if (
      ts.isVariableDeclaration(node) &&
      node.name.getText() === "MUTATION_ERROR_TYPES" &&
      node.initializer &&
      ts.isObjectLiteralExpression(stripAssertions(node.initializer))
    ) {
      for (const property of (stripAssertions(node.initializer) as ts.ObjectLiteralExpression).properties) {
        const symbol = ts.isShorthandPropertyAssignment(property)
          ? resolveSymbol(checker.getShorthandAssignmentValueSymbol(property))
          : ts.isPropertyAssignment(property)
            ? symbolAt(property.initializer)
            : undefined;
        if (symbol && property.name) typeNameOfClass.set(symbol, property.name.getText());
      }
    }
    ts.forEachChild(node, visit);
  });
  if (!typeNameOfClass.size) throw new Error("MUTATION_ERROR_TYPES not found in src/graphql/types/errors.ts.");

  const domainError = [...typeNameOfClass.keys()].find((symbol) => symbol.name === "DomainError");
  /** The union member a thrown class becomes (its nearest registered ancestor), or undefined if not a DomainError. */
  const memberCache = new Map<ts.Symbol, string | undefined>();
  const memberOf = (symbol: ts.Symbol): string | undefined => {
    if (memberCache.has(symbol)) return memberCache.get(symbol);
    let member: string | undefined;
    if (symbol.flags & ts.SymbolFlags.Class) {
      let current: ts.Symbol | undefined = symbol;
      while (current && member === undefined) {
        member = typeNameOfClass.get(current);
        const type = checker.getDeclaredTypeOfSymbol(current);
        current = type.isClassOrInterface() ? checker.getBaseTypes(type)[0]?.getSymbol() : undefined;
      }
    }
    memberCache.set(symbol, member);
    return member;
  };
  if (!domainError) throw new Error("MUTATION_ERROR_TYPES has no DomainError.");
  file(errorsModule);

  // Function-like members of classes and objects below the GraphQL layer (domain, infra, http), by name; those
  // of src/infra/ are the adapters that implement a port's members.
  const membersByName = new Map<string, ts.Node[]>();
  const adapters = new Map<string, ts.Node[]>();
  for (const source of program.getSourceFiles()) {
    const file = path.resolve(source.fileName);
    if (!isOwnFile(source) || file.startsWith(graphqlDir) || file.startsWith(restDir)) continue;
    source.forEachChild(function visit(node) {
      const body = functionBodyOf(node);
      if (
        body &&
        (ts.isMethodDeclaration(node) ||
          ts.isGetAccessorDeclaration(node) ||
          ts.isPropertyAssignment(node) ||
          ts.isPropertyDeclaration(node))
      ) {
        const name = node.name.getText();
        membersByName.set(name, [...(membersByName.get(name) ?? []), body]);
        if (file.startsWith(infraDir)) adapters.set(name, [...(adapters.get(name) ?? []), body]);
      }
      ts.forEachChild(node, visit);
    });
  }

  // Names that can lead somewhere: what src/ declares as callable (functions, methods, function-valued
  // variables and properties, classes, port members with an adapter) and import aliases. Resolving any other name (Prisma's
  // `findMany`, a property in a query object...) would only make the checker work for nothing.
  const callableNames = new Set<string>();
  for (const source of program.getSourceFiles()) {
    if (!isOwnFile(source)) continue;
    source.forEachChild(function visit(node) {
      const named = node as ts.Node & { name?: ts.Node };
      const name = named.name?.getText();
      if (
        name &&
        (functionBodyOf(node) ||
          ts.isClassDeclaration(node) ||
          ((ts.isMethodSignature(node) || ts.isPropertySignature(node)) && adapters.has(name)) ||
          (ts.isImportSpecifier(node) && node.propertyName) ||
          ts.isNamespaceImport(node))
      )
        callableNames.add(name);
      ts.forEachChild(node, visit);
    });
  }

  // The call graph, one node per function-like body (or the `resolve` expression), built lazily.
  const analysed = new Map<ts.Node, { raises: Set<ts.Symbol>; calls: Set<ts.Node> }>();
  const analyse = (start: ts.Node) => {
    let entry = analysed.get(start);
    if (entry) return entry;
    entry = { raises: new Set<ts.Symbol>(), calls: new Set<ts.Node>() };
    analysed.set(start, entry);
    const { raises, calls } = entry;
    const inResolverLayer = path.resolve(start.getSourceFile().fileName).startsWith(graphqlDir);
    const follow = (declaration: ts.Declaration) => {
      const source = declaration.getSourceFile();
      if (!isOwnFile(source)) return;
      const body = functionBodyOf(declaration);
      if (body) calls.add(body);
      else if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) {
        for (const adapter of adapters.get(declaration.name.getText()) ?? []) calls.add(adapter);
      } else if (ts.isClassDeclaration(declaration) || ts.isClassExpression(declaration)) {
        for (const member of declaration.members)
          if (ts.isConstructorDeclaration(member) && member.body) calls.add(member);
      }
    };
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
      if (ts.isNewExpression(node)) {
        const symbol = symbolAt(node.expression);
        if (symbol && memberOf(symbol)) raises.add(symbol);
      }
      if (
        inResolverLayer &&
        ts.isIdentifier(node) &&
        ts.isPropertyAccessExpression(node.parent) &&
        node.parent.name === node
      ) {
        // `ctx.paymentProviders.forStore(...)` in a resolver: typing `ctx` would make the checker infer the
        // whole Pothos field, so a member called from the GraphQL layer stands for every service member
        // of that name.
        for (const member of membersByName.get(node.text) ?? []) calls.add(member);
      } else if (
        (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) &&
        callableNames.has(node.text) &&
        !isDeclarationName(node)
      ) {
        const symbol = ts.isShorthandPropertyAssignment(node.parent)
          ? resolveSymbol(checker.getShorthandAssignmentValueSymbol(node.parent))
          : symbolAt(node);
        if (symbol && !memberOf(symbol)) for (const declaration of symbol.declarations ?? []) follow(declaration);
      }
      if (ts.isTryStatement(node) && node.catchClause) {
        // What the try block raises goes through the catch clause's filter; the rest as usual.
        for (const error of escaping(node.catchClause, raisedFrom(node.tryBlock))) raises.add(error);
        visit(node.catchClause.block);
        if (node.finallyBlock) visit(node.finallyBlock);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(start);
    return entry;
  };

  const isSubclass = (symbol: ts.Symbol, ancestor: ts.Symbol) => {
    for (let current: ts.Symbol | undefined = symbol; current; ) {
      if (current === ancestor) return true;
      const type = checker.getDeclaredTypeOfSymbol(current);
      current = type.isClassOrInterface() ? checker.getBaseTypes(type)[0]?.getSymbol() : undefined;
    }
    return false;
  };

  /**
   * The caught errors a catch clause lets out: those its `throw <caught>` statements can see, given the
   * `instanceof` tests around them (`if (e instanceof X) throw new Y(...)` before `throw e` converts X;
   * `if (!(e instanceof DomainError)) throw e` lets none of ours out). Any other use of the caught value
   * (passing it on, `throw wrap(e)`) lets everything out.
   */
  const escaping = (clause: ts.CatchClause, caught: Set<ts.Symbol>): Set<ts.Symbol> => {
    const variable = clause.variableDeclaration?.name;
    if (!variable) return new Set();
    if (!ts.isIdentifier(variable)) return caught;
    const caughtSymbol = checker.getSymbolAtLocation(variable);
    const rethrows: ts.ThrowStatement[] = [];
    let passedOn = false;
    clause.block.forEachChild(function find(node) {
      if (ts.isIdentifier(node) && node.text === variable.text && checker.getSymbolAtLocation(node) === caughtSymbol) {
        const parent = node.parent;
        const tested = ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword;
        const read = ts.isPropertyAccessExpression(parent) && !ts.isCallExpression(parent.parent);
        if (ts.isThrowStatement(parent)) rethrows.push(parent);
        else if (!tested && !read) passedOn = true;
      }
      ts.forEachChild(node, find);
    });
    if (passedOn) return caught;
    /** `caught instanceof X` or its negation. */
    const test = (expression: ts.Expression): { type: ts.Symbol; negated: boolean } | undefined => {
      expression = stripAssertions(expression);
      if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
        const inner = test(expression.operand);
        return inner && { ...inner, negated: !inner.negated };
      }
      if (
        ts.isBinaryExpression(expression) &&
        expression.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
        ts.isIdentifier(expression.left) &&
        expression.left.text === variable.text
      ) {
        const type = symbolAt(expression.right);
        return type && { type, negated: false };
      }
      return undefined;
    };
    const reaches = (rethrow: ts.ThrowStatement, error: ts.Symbol) => {
      let child: ts.Node = rethrow;
      for (let node = rethrow.parent; node && node !== clause; child = node, node = node.parent) {
        if (ts.isIfStatement(node)) {
          const tested = test(node.expression);
          const inThen = child === node.thenStatement;
          if (tested && (inThen !== tested.negated) !== isSubclass(error, tested.type)) return false;
        }
        if (ts.isBlock(node)) {
          for (const statement of node.statements) {
            if (statement === child) break;
            if (!ts.isIfStatement(statement) || statement.elseStatement || !exits(statement.thenStatement)) continue;
            const tested = test(statement.expression);
            if (tested && tested.negated !== isSubclass(error, tested.type)) return false;
          }
        }
      }
      return true;
    };
    return new Set([...caught].filter((error) => rethrows.some((rethrow) => reaches(rethrow, error))));
  };

  /** Everything reachable from a resolver. */
  const raisedFrom = (resolver: ts.Node): Set<ts.Symbol> => {
    const raised = new Set<ts.Symbol>();
    const seen = new Set<ts.Node>([resolver]);
    const queue = [resolver];
    for (let node = queue.pop(); node; node = queue.pop()) {
      const { raises, calls } = analyse(node);
      for (const member of raises) raised.add(member);
      for (const next of calls) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    return raised;
  };

  // Every `mutationResult(name, dataField)`: its union's name and the field's resolver.
  const mutationResult = [...file(errorTypesModule).statements]
    .filter(ts.isFunctionDeclaration)
    .find((declaration) => declaration.name?.text === "mutationResult");
  const mutationResultSymbol = mutationResult?.name && symbolAt(mutationResult.name);
  if (!mutationResultSymbol) throw new Error("mutationResult not found in src/graphql/types/errors.ts.");

  const result: MutationErrors = {};
  for (const source of program.getSourceFiles()) {
    if (!isOwnFile(source)) continue;
    source.forEachChild(function visit(node) {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.arguments[0]) {
        if (symbolAt(node.expression) === mutationResultSymbol && node.parent !== mutationResult) {
          const where = `${path.relative(root, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
          const resolver = resolverOf(node);
          if (!resolver) throw new Error(`${where}: mutationResult(...) outside a field with a resolve.`);
          const raised = [...new Set([...raisedFrom(resolver)].map((error) => memberOf(error)!))].sort();
          for (const name of unionNames(node.arguments[0], checker, where)) {
            if (result[name]) throw new Error(`${where}: a second mutationResult("${name}", ...).`);
            result[name] = raised.length ? raised : [FALLBACK_ERROR];
          }
        }
      }
      ts.forEachChild(node, visit);
    });
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A name being declared (or an object literal's key), not a reference. */
function isDeclarationName(node: ts.Identifier | ts.PrivateIdentifier): boolean {
  const parent = node.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  return (parent as ts.Node & { name?: ts.Node }).name === node && !ts.isPropertyAccessExpression(parent);
}

/** Whether a statement never completes normally (ends in throw or return). */
function exits(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) return true;
  const last = ts.isBlock(statement) ? statement.statements.at(-1) : undefined;
  return last !== undefined && exits(last);
}

function stripAssertions(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node))
    node = node.expression;
  return node;
}

/** The code a declaration runs when called (a function's or method's body, a variable's function value). */
function functionBodyOf(node: ts.Node): ts.Node | undefined {
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node)) &&
    node.body
  )
    return node;
  if (
    (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) &&
    node.initializer
  ) {
    const value = stripAssertions(node.initializer);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  }
  return undefined;
}

/** The `resolve` of the field options object that holds `errors: mutationResult(...)`. */
function resolverOf(call: ts.CallExpression): ts.Node | undefined {
  const options = call.parent?.parent;
  if (!options || !ts.isPropertyAssignment(call.parent) || !ts.isObjectLiteralExpression(options)) return undefined;
  for (const property of options.properties) {
    if (property.name?.getText() !== "resolve") continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isMethodDeclaration(property) || ts.isShorthandPropertyAssignment(property)) return property;
  }
  return undefined;
}

/**
 * The union name prefix(es) of a `mutationResult` call: a string, or an expression of the parameters of its
 * enclosing function, evaluated at each call of that function with literal arguments
 * (`transitionField("approve", "approveVendor", ...)`).
 */
function unionNames(expression: ts.Expression, checker: ts.TypeChecker, where: string): string[] {
  const literal = evaluate(expression, new Map());
  if (literal !== undefined) return [literal];
  let enclosing: ts.Node | undefined = expression.parent;
  while (enclosing && !ts.isFunctionDeclaration(enclosing)) enclosing = enclosing.parent;
  const fn = enclosing as ts.FunctionDeclaration | undefined;
  const fnSymbol = fn?.name && checker.getSymbolAtLocation(fn.name);
  const names: string[] = [];
  if (fn && fnSymbol) {
    fn.getSourceFile().forEachChild(function visit(node) {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        if (checker.getSymbolAtLocation(node.expression) === fnSymbol) {
          const env = new Map<string, string>();
          fn.parameters.forEach((parameter, index) => {
            const value = node.arguments[index] && evaluate(node.arguments[index], new Map());
            if (value !== undefined && ts.isIdentifier(parameter.name)) env.set(parameter.name.text, value);
          });
          const name = evaluate(expression, env);
          if (name === undefined) throw new Error(`${where}: cannot work out the union name at each call.`);
          names.push(name);
        }
      }
      ts.forEachChild(node, visit);
    });
  }
  if (!names.length)
    throw new Error(`${where}: mutationResult's name must be a string or built from literal arguments.`);
  return names;
}

/** A string expression built from literals and `env`, or undefined. */
function evaluate(node: ts.Expression, env: Map<string, string>): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isIdentifier(node)) return env.get(node.text);
  if (ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node)) return evaluate(node.expression, env);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [evaluate(node.left, env), evaluate(node.right, env)];
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const value = evaluate(span.expression, env);
      if (value === undefined) return undefined;
      text += value + span.literal.text;
    }
    return text;
  }
  if (ts.isElementAccessExpression(node) && ts.isNumericLiteral(node.argumentExpression)) {
    return evaluate(node.expression, env)?.[Number(node.argumentExpression.text)];
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const target = evaluate(node.expression.expression, env);
    const args = node.arguments.map((arg) => (ts.isNumericLiteral(arg) ? Number(arg.text) : Number.NaN));
    if (target === undefined || args.some(Number.isNaN)) return undefined;
    switch (node.expression.name.text) {
      case "toUpperCase":
        return target.toUpperCase();
      case "toLowerCase":
        return target.toLowerCase();
      case "slice":
        return target.slice(...args);
    }
  }
  return undefined;
}

/** The generated module's text (sorted, so it only changes when a union does). */
export function renderMutationErrors(errors: MutationErrors): string {
  // Formatted as biome would: one line per union, or one line per member when longer than 120 characters.
  const lines = Object.entries(errors).map(([name, members]) => {
    const quoted = members.map((member) => JSON.stringify(member));
    const line = `  ${name}: [${quoted.join(", ")}],`;
    return line.length <= 120 ? line : [`  ${name}: [`, ...quoted.map((member) => `    ${member},`), "  ],"].join("\n");
  });
  return [
    "// Generated by scripts/mutation-errors.ts (`npm run schema:print`); do not edit.",
    "// The typed errors each mutation's resolver can raise: its `<Name>Result` union's error members.",
    "export const MUTATION_ERRORS_BY_UNION: Record<string, readonly string[]> = {",
    ...lines,
    "};",
    "",
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = performance.now();
  const program = createSourceProgram();
  const errors = deriveMutationErrors(program);
  writeFileSync(GENERATED_FILE, renderMutationErrors(errors));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${path.relative(root, GENERATED_FILE)}: ${Object.keys(errors).length} unions (${seconds}s).`);
}
