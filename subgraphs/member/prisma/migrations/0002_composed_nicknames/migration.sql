-- Data only, no schema change. Nicknames are stored composed (Unicode NFC) from this release on
-- (normalizeNickname): "가지" typed on macOS arrived as conjoining jamo (NFD) and was kept so, a
-- different string from the "가지" Android sends. This composes the nicknames stored before.
-- No collision is possible: nicknames are not unique (subgraphs/member/README.md). Composing
-- never adds a character a person counts, so every nickname stays within MEMBER_LIMITS. The
-- MemberJoined events already published keep the form they carried (history is not rewritten), and
-- so do the copies other contexts made of them (My Page's); they show the same.
-- A replica of the previous release still running during the rolling update may store a
-- nickname uncomposed after this ran; running this statement again composes it (it is idempotent).
UPDATE "members" SET "nickname" = normalize("nickname", NFC) WHERE "nickname" IS NOT NFC NORMALIZED;
