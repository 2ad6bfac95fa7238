using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Runner.Appliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class Zones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Zones",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    VlanId = table.Column<int>(type: "INTEGER", nullable: false),
                    Subnet = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Gateway = table.Column<string>(type: "TEXT", nullable: false),
                    DnsServers = table.Column<string>(type: "TEXT", nullable: false),
                    NtpServers = table.Column<string>(type: "TEXT", nullable: false),
                    SearchDomain = table.Column<string>(type: "TEXT", nullable: true),
                    RangeStart = table.Column<string>(type: "TEXT", nullable: false),
                    RangeEnd = table.Column<string>(type: "TEXT", nullable: false),
                    ExcludedAddresses = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Zones", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Zones_Name",
                table: "Zones",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Zones");
        }
    }
}
