// The viewer grounds steps exactly as the agent does: one Grounder type, one stand-in.
export * from '../agent/grounding';
