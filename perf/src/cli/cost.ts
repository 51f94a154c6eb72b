export async function costCommand(_argv: string[]): Promise<number> { throw new Error("cost: being written"); }
