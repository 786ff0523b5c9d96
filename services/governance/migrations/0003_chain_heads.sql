-- A signed head per audit append batch, in the batch's transaction: it commits (through the
-- hash chain) to every record up to tree_size, so no accepted record stays unsigned, and it
-- names the previous head so deleted heads show as a gap. Merkle tree heads stay periodic
-- (tree_heads) for inclusion and consistency proofs.
CREATE TABLE IF NOT EXISTS chain_heads (
    tree_size BIGINT PRIMARY KEY,
    record_hash TEXT NOT NULL,
    previous_size BIGINT NOT NULL,
    signed_at BIGINT NOT NULL,
    signature TEXT NOT NULL
);
