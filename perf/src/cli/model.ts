export async function modelCommand(_argv: string[]): Promise<number> { throw new Error("model: being written"); }
