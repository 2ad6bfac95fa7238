using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Runner.Appliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConfigurationCopiesAndRunStarts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConfigurationCopies",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    DocumentJson = table.Column<string>(type: "TEXT", nullable: false),
                    SecretsCiphertext = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigurationCopies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RunStarts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Roles = table.Column<string>(type: "TEXT", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Gate = table.Column<string>(type: "TEXT", nullable: true),
                    GateOverride = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunStarts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RunStarts_DeploymentRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "DeploymentRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConfigurationCopies_CreatedAt",
                table: "ConfigurationCopies",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RunStarts_RunId",
                table: "RunStarts",
                column: "RunId");

            // Runs started before this version: their first start, from what the run itself kept.
            migrationBuilder.Sql("INSERT INTO RunStarts (RunId, Kind, Roles, StartedBy, StartedAt, Gate, GateOverride) " +
                                 "SELECT Id, 'Start', COALESCE((SELECT group_concat(Role, ',') FROM RoleRuns WHERE RunId = DeploymentRuns.Id), ''), " +
                                 "StartedBy, CreatedAt, Preflight, GateOverride FROM DeploymentRuns");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConfigurationCopies");

            migrationBuilder.DropTable(
                name: "RunStarts");
        }
    }
}
