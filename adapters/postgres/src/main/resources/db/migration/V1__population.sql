-- The population database's shape (DESIGN §6). The gateway only reads it.
CREATE SCHEMA population;

CREATE TABLE population.citizen (
  personal_id              char(12) PRIMARY KEY CHECK (personal_id ~ '^[0-9]{12}$'),
  full_name                text     NOT NULL,
  birth_date               date     NOT NULL,
  gender                   char(1)  NOT NULL CHECK (gender IN ('M', 'F')),
  birth_registration_place text     NOT NULL,
  hometown                 text     NOT NULL,
  ethnicity                text     NOT NULL,
  nationality              text     NOT NULL,
  blood_type               text,
  deceased                 boolean  NOT NULL DEFAULT false,
  deceased_on              date
);

CREATE TABLE population.residence (
  personal_id char(12) NOT NULL,
  kind        text     NOT NULL CHECK (kind IN ('permanent', 'temporary')),
  address     text     NOT NULL,
  since       date,
  PRIMARY KEY (personal_id, kind)
);

-- A relative may predate the digital register, so the name is kept beside the ID.
CREATE TABLE population.relation (
  personal_id         char(12) NOT NULL,
  kind                text     NOT NULL CHECK (kind IN ('father', 'mother', 'spouse', 'legal_representative')),
  relative_id         char(12),
  relative_name       text     NOT NULL,
  relative_birth_year int,
  PRIMARY KEY (personal_id, kind)
);
