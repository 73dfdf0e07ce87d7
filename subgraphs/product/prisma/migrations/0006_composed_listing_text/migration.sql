-- Data only, no schema change. Titles and descriptions are stored composed (Unicode NFC) from this
-- release on (normalizeListing), and searches are composed too: a title typed as conjoining jamo on
-- macOS (NFD) would no longer be found by any search. This composes the ones stored before.
-- Composing never adds a character a person counts and only shortens a text in UTF-16 units, so
-- every listing stays within LISTING_TEXT_LIMITS. Events already published (ProductRegistered) and
-- the copies other contexts made of them (My Page's, purchase's) keep the form they carried; they
-- show the same and are not searched. A replica of the previous release still running during the
-- rolling update may store a listing uncomposed after this ran; running this statement again
-- composes it (it is idempotent).
UPDATE "products"
SET "title" = normalize("title", NFC), "description" = normalize("description", NFC)
WHERE "title" IS NOT NFC NORMALIZED OR "description" IS NOT NFC NORMALIZED;
