CREATE TABLE "events_in_flight" (
	"first_event_id" integer NOT NULL,
	"last_event_id" integer NOT NULL,
	"started_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "events_in_flight_pkey" PRIMARY KEY("first_event_id","last_event_id")
);
