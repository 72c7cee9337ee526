"""Mystery visits without a web framework or an ORM: the synced payload, its validation against the scorecard,
its content hash, the answer rows it becomes, the sync decision and the review flags."""
