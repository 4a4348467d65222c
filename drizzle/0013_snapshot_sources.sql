CREATE TABLE "snap_sources" (
	"name" text PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL
);
