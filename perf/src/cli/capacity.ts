export async function capacityCommand(_argv: string[]): Promise<number> { throw new Error("capacity: being written"); }
