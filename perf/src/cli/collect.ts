export async function collectCommand(_argv: string[]): Promise<number> { throw new Error("collect: being written"); }
